/*
 * screen-knowledge.js - the knowledge check: one control per question type, a
 * few questions per screen with a progress line (the course's
 * questions_per_screen), an optional "Check" under each question, Submit
 * (grade, record, report), then the result and feedback under each question,
 * read-only, with "Try again" while the course's attempt limit allows. The LMS
 * keeps the best attempt (docs/scorm-package.md, "Knowledge-check attempts").
 */

/* global PmkitCourse, PmkitCodec, PmkitDom, PmkitNav, PmkitReport, PmkitSession */
/* exported PmkitKnowledgeScreen */
var PmkitKnowledgeScreen = (function (doc, C, Codec, Dom, Report, S) {
  "use strict";

  var el = Dom.el;
  var now = S.now;
  var kcQuestions = C.kcQuestions;
  var FLAGS = Codec.FLAGS;
  var settings = C.course.knowledge_check;
  var PER = C.kcPerScreen;  /* questions per screen (none given: all on one screen) */
  var PAGES = C.kcPages;
  var LIMIT = settings.attempts || 0;  /* 0: no limit */
  /* The review after Submit shows every question with its feedback; a longer check
   * shows them this many at a time (thirty elements each: 10,000 questions on one
   * screen took 20 seconds to open). */
  var REVIEW_PER = 50;
  var REVIEW_PAGES = Math.ceil(kcQuestions.length / REVIEW_PER);
  /* The review screen shown (0 until the learner moves on; this session only). */
  var reviewPage = 0;
  /* The submitted answers' grade, kept from Submit for the review's screens (the
   * answers cannot change until "Try again"; grading 10,000 takes a while). */
  /** @type {Grade|null} */
  var submittedGrade = null;
  var CHECK_EACH = !!settings.check_each_question;

  /* The "answered n of m" line, while the check is open; null on other screens. */
  /** @type {HTMLElement|null} */
  var statusLine = null;
  /* The screen's "Next questions", "Skip" and its message, while the check is open
   * (built before they are on the page, so held here rather than looked up). */
  /** @type {{next: HTMLElement|null, skip: HTMLElement|null, error: HTMLElement}|null} */
  var pagerParts = null;

  /** @param {string} text  FNV-1a: a fixed number per question id */
  function hashString(text) {
    var h = 2166136261;
    for (var k = 0; k < text.length; k++) {
      h ^= text.charCodeAt(k);
      h = (h * 16777619) >>> 0;
    }
    return h;
  }

  /* A fixed, shuffled starting order for an ordering question in which no item is
   * in its place (a question left as shown scores nothing, never a free part). */
  /** @param {KcQuestion} q  @returns {string[]} */
  function initialOrder(q) {
    var n = q.items.length;
    /** @type {string[]} */
    var ids;
    var k, attempt;
    var seed = hashString(q.id) || 1;
    for (attempt = 0; attempt < 25; attempt++) {
      ids = [];
      for (k = 0; k < n; k++) {
        ids.push(q.items[k].id);
      }
      for (k = n - 1; k > 0; k--) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        var j = seed % (k + 1);
        var tmp = ids[k];
        ids[k] = ids[j];
        ids[j] = tmp;
      }
      var deranged = true;
      for (k = 0; k < n; k++) {
        if (ids[k] === q.items[k].id) {
          deranged = false;
        }
      }
      if (deranged) {
        return ids;
      }
    }
    ids = [];
    for (k = 0; k < n; k++) {
      ids.push(q.items[(k + 1) % n].id);  /* a rotation: nothing in its place */
    }
    return ids;
  }

  /** @param {KcQuestion} q  @returns {string[]} */
  function currentOrder(q) {
    var a = S.answer(q.id);
    return a ? a.slice() : initialOrder(q);
  }

  /** @param {KcQuestion} q  @param {string} id */
  function itemText(q, id) {
    var idx = C.indexOfId(q.items, id);
    return idx >= 0 ? q.items[idx].text : id;
  }

  function updateStatus() {
    if (!statusLine) {
      return;
    }
    /* An ordering question counts once the learner has seen it (its order then stands
     * as an answer), not from the start: "2 of 17 answered" before any answer misleads. */
    var seenUpTo = (currentPage() + 1) * PER;
    var n = 0;
    for (var k = 0; k < kcQuestions.length; k++) {
      if (Report.isAnswered(kcQuestions[k]) ||
          (kcQuestions[k].type === "ordering" && k < seenUpTo)) {
        n += 1;
      }
    }
    statusLine.textContent = "You have answered " + n + " of " + kcQuestions.length +
      " questions. Pass mark: " + C.pkg.mastery + "%.";
    updatePager();
  }

  /** @param {KcQuestion} q */
  function mark(q) {
    return C.hasOwn(now.state.marks, q.id) ? now.state.marks[q.id] : "";
  }

  /* Answered (an ordering question always is: the order shown is an answer),
   * checked or explicitly skipped: the learner may go on past it. */
  /** @param {KcQuestion} q */
  function settled(q) {
    return q.type === "ordering" || Report.isAnswered(q) || mark(q) !== "";
  }

  /** @param {number} page  @returns {KcQuestion[]} */
  function pageQuestions(page) {
    return kcQuestions.slice(page * PER, (page + 1) * PER);
  }

  /** @param {number} page */
  function pageSettled(page) {
    var qs = pageQuestions(page);
    for (var k = 0; k < qs.length; k++) {
      if (!settled(qs[k])) {
        return false;
      }
    }
    return true;
  }

  /* Where the check opens: the first screen with a question still to answer. */
  function openPage() {
    for (var p = 0; p < PAGES; p++) {
      if (!pageSettled(p)) {
        return p;
      }
    }
    return PAGES - 1;
  }

  /* The screen shown: the one the learner is on, else the saved one (a state
   * restored on the check), else where the check opens. The state keeps it, so
   * the learner comes back to it. */
  function currentPage() {
    if (now.kcPage === null || now.kcPage < 0 || now.kcPage >= PAGES) {
      var saved = now.state.page || 0;
      now.kcPage = saved > 0 && saved < PAGES ? saved : openPage();
    }
    now.state.page = now.kcPage;
    return now.kcPage;
  }

  /* May the learner submit again? Within the attempt limit, in a session that
   * is not the read-only results. */
  function canRetry() {
    return S.has(FLAGS.SUBMITTED) && !now.readOnly && !S.has(FLAGS.FINISHED) &&
      (LIMIT === 0 || now.state.attempts < LIMIT);
  }

  /* "Next questions" is usable once every question of the screen is answered or
   * skipped: aria-disabled rather than disabled, so it stays in the Tab order and
   * says why when selected. "Skip" shows while something is left. */
  function updatePager() {
    if (!pagerParts) {
      return;
    }
    var done = pageSettled(currentPage());
    if (pagerParts.next) {
      pagerParts.next.setAttribute("aria-disabled", done ? "false" : "true");
    }
    if (pagerParts.skip) {
      pagerParts.skip.hidden = done;
    }
    if (done) {
      pagerParts.error.hidden = true;
    }
  }

  function screen() {
    var kc = C.course.knowledge_check;
    var s = Dom.section("knowledge-check", kc.title, null);
    var submitted = S.has(FLAGS.SUBMITTED);
    var result = submitted ? submittedGrade || Report.grade() : null;
    var page = submitted ? 0 : currentPage();
    if (submitted || page === 0) {
      Dom.append(s, Dom.paragraphs(kc.intro, "lead"));
    }
    var summary = el("div", { className: "kc-result", id: "kc-result", tabindex: "-1",
                              hidden: !submitted });
    s.appendChild(summary);
    statusLine = null;
    pagerParts = null;
    if (submitted && result) {
      fillResult(summary, result, false, true);
      summary.appendChild(retryBlock());
      s.appendChild(Dom.heading(2, "Your answers and the feedback"));
      reviewPage = Math.max(0, Math.min(reviewPage, REVIEW_PAGES - 1));
      var from = REVIEW_PAGES > 1 ? reviewPage * REVIEW_PER : 0;
      var to = REVIEW_PAGES > 1 ? Math.min(from + REVIEW_PER, kcQuestions.length) :
        kcQuestions.length;
      if (REVIEW_PAGES > 1) {
        s.appendChild(el("h3", { id: "kc-review-heading", tabindex: "-1" },
                         "Questions " + (from + 1) + "\u2013" + to + " of " + kcQuestions.length));
      }
      var review = el("div", { className: "kc-questions" });
      for (var r = from; r < to; r++) {
        review.appendChild(question(kcQuestions[r], r, true, result.questions[r]));
      }
      s.appendChild(review);
      if (REVIEW_PAGES > 1) {
        s.appendChild(reviewPager());
      }
      return s;
    }
    if (LIMIT && now.state.attempts >= LIMIT) {
      /* a Retake after the last attempt: the course's limit still holds */
      s.appendChild(el("p", { id: "kc-no-retry" }, "You have used all " + LIMIT +
                         " attempts at the knowledge check. Your best score: " +
                         Math.max(now.state.best, 0) + "%."));
      return s;
    }
    var attemptText = attemptLine();
    if (attemptText) {
      s.appendChild(el("p", { className: "kc-attempt", id: "kc-attempt" }, attemptText));
    }
    if (page === 0) {
      s.appendChild(el("p", { className: "hint" }, PAGES > 1 ?
                       "Answer the questions on each screen, then select \u201cNext " +
                       "questions\u201d; \u201cSkip\u201d leaves a question unanswered. " +
                       "Select \u201cSubmit answers\u201d on the last screen to see your " +
                       "score. Ordering questions count as answered in the order shown." +
                       (CHECK_EACH ? " \u201cCheck\u201d under a question shows its " +
                        "feedback at once; its answer is then locked." : "") :
                       "Answer the questions, then select \u201cSubmit answers\u201d at the " +
                       "end to see your score and feedback. Ordering questions count as " +
                       "answered in the order shown."));
    }
    var first = page * PER;
    var qs = pageQuestions(page);
    if (PAGES > 1) {
      s.appendChild(progress(page, first, qs.length));
    }
    var form = el("div", { className: "kc-questions" });
    var grades = CHECK_EACH ? Report.grade() : null;
    for (var k = 0; k < qs.length; k++) {
      var checked = mark(qs[k]) === "c";
      form.appendChild(question(qs[k], first + k, checked,
                                checked && grades ? grades.questions[first + k] : null));
    }
    s.appendChild(form);
    statusLine = el("p", { className: "hint", id: "kc-answered" });
    s.appendChild(statusLine);
    s.appendChild(pager(page));
    updateStatus();
    return s;
  }

  /* "Questions 4-6 of 17", a bar, and which screen of how many: the heading a
   * new screen of questions moves focus to. */
  /** @param {number} page  @param {number} first  @param {number} count */
  function progress(page, first, count) {
    var range = count > 1 ? "Questions " + (first + 1) + "\u2013" + (first + count) :
      "Question " + (first + 1);
    var fill = el("span", { className: "kc-progress-fill" });
    fill.style.width = Math.round(100 * (first + count) / kcQuestions.length) + "%";
    return el("div", { className: "kc-progress", id: "kc-progress" }, [
      el("h2", { id: "kc-page-heading", tabindex: "-1", className: "kc-page-heading" },
         range + " of " + kcQuestions.length),
      el("div", { className: "kc-progress-track", "aria-hidden": "true" }, fill),
      el("p", { className: "kc-progress-text" }, "Screen " + (page + 1) + " of " + PAGES)
    ]);
  }

  /** @param {number} page */
  function pager(page) {
    var bar = el("div", { className: "kc-pager", id: "kc-pager" });
    var error = el("p", { className: "error-message", id: "kc-page-error", hidden: true },
                   "Answer every question on this screen, or select \u201cSkip\u201d to " +
                   "leave the rest unanswered.");
    pagerParts = { next: null, skip: null, error: error };
    if (page > 0) {
      bar.appendChild(Dom.button("kc-prev", "Previous questions", "button-secondary",
                                 function () { toPage(page - 1); }));
    }
    if (page < PAGES - 1) {
      var skip = Dom.button("kc-skip", "Skip", "button-secondary", function () {
        var qs = pageQuestions(page);
        for (var k = 0; k < qs.length; k++) {
          if (!settled(qs[k])) {
            now.state.marks[qs[k].id] = "s";
          }
        }
        S.persist();
        toPage(page + 1);
      });
      skip.setAttribute("aria-describedby", "kc-skip-hint");
      bar.appendChild(skip);
      bar.appendChild(el("span", { className: "visually-hidden", id: "kc-skip-hint" },
                         "Leaves the unanswered questions on this screen unanswered"));
      var next = Dom.button("kc-next", "Next questions", "button-primary", function () {
        if (!pageSettled(page)) {
          error.hidden = false;
          Dom.announce(error.textContent || "");
          return;
        }
        toPage(page + 1);
      });
      bar.appendChild(next);
      pagerParts.next = next;
      pagerParts.skip = skip;
    } else {
      bar.appendChild(Dom.button("kc-submit", "Submit answers", "button-primary", submit));
    }
    return el("div", { className: "actions" }, [error, bar]);
  }

  /* Previous / next questions of a long review. */
  function reviewPager() {
    var bar = el("div", { className: "kc-pager", id: "kc-review-pager" });
    if (reviewPage > 0) {
      bar.appendChild(Dom.button("kc-review-prev", "Previous questions", "button-secondary",
                                 function () { toReviewPage(reviewPage - 1); }));
    }
    if (reviewPage < REVIEW_PAGES - 1) {
      bar.appendChild(Dom.button("kc-review-next", "Next questions", "button-primary",
                                 function () { toReviewPage(reviewPage + 1); }));
    }
    return el("div", { className: "actions" }, [
      el("p", { className: "kc-progress-text" }, "Screen " + (reviewPage + 1) + " of " +
         REVIEW_PAGES + " of the feedback"), bar]);
  }

  /** @param {number} page */
  function toReviewPage(page) {
    reviewPage = page;
    PmkitNav.render(false);
    var h = Dom.byId("kc-review-heading");
    if (h) {
      h.focus();
    }
  }

  /** @param {number} page */
  function toPage(page) {
    now.kcPage = Math.max(0, Math.min(PAGES - 1, page));
    PmkitNav.render(false);
    S.save();  /* the state's screen number names this screen now */
    var h = Dom.byId("kc-page-heading") || Dom.byId("screen-heading");
    if (h) {
      h.focus();
    }
  }

  /* "Attempt 2 of 3. Your best score so far: 60%." ("" for a first attempt
   * without a limit: nothing to say). */
  function attemptLine() {
    var n = Math.min(now.state.attempts + 1, LIMIT || now.state.attempts + 1);
    if (LIMIT === 0 && now.state.attempts === 0) {
      return "";
    }
    var text = "Attempt " + n + (LIMIT ? " of " + LIMIT : "") + ".";
    if (now.state.best >= 0) {
      text += " Your best score so far: " + now.state.best + "%" +
        (now.state.best >= C.pkg.mastery ? " (passed)." : ".");
    }
    return text;
  }

  /* Under the result: "Try again" within the limit, or why not. */
  function retryBlock() {
    var box = el("div", { className: "kc-retry" });
    var attempts = now.state.attempts;
    if (attempts > 1 || LIMIT) {
      box.appendChild(el("p", { id: "kc-attempts" }, "Attempt " + attempts +
                         (LIMIT ? " of " + LIMIT : "") + ". Your best score: " +
                         Math.max(now.state.best, 0) + "%. " + recordedWords()));
    }
    if (canRetry()) {
      box.appendChild(el("p", null, "Try again: your knowledge-check answers are cleared, " +
                         "your other answers stay, and your best score is kept."));
      box.appendChild(Dom.button("kc-retry", "Try again", "button-primary", retry));
    } else if (LIMIT && attempts >= LIMIT && !now.readOnly) {
      box.appendChild(el("p", { id: "kc-no-retry" }, "You have used all " + LIMIT +
                         " attempts. Select Next to go on."));
    }
    return box;
  }

  /* What the LMS keeps, in words. */
  function recordedWords() {
    return now.lmsMode === "normal" ? (now.connected ?
      "Your best attempt is the one recorded." : "Your best attempt is the one kept.") : "";
  }

  /* The screen is being replaced: the status line is no longer on the page. */
  function leave() {
    statusLine = null;
    pagerParts = null;
  }

  /* The result box: the score, pass or not, and the count per status. `final`:
   * after Finish (no "yet"); `feedbackBelow`: the questions and their feedback
   * follow on the same screen. */
  /**
   * @param {HTMLElement} box  @param {Grade} result  @param {boolean} final
   * @param {boolean} feedbackBelow
   */
  function fillResult(box, result, final, feedbackBelow) {
    Dom.clear(box);
    box.hidden = false;
    box.className = "kc-result " + (result.passed ? "is-passed" : "is-failed");
    box.appendChild(Dom.heading(2, "Your result"));
    box.appendChild(el("p", { className: "result-headline", id: "kc-score",
                              "data-percent": String(result.percent),
                              "data-passed": result.passed ? "true" : "false" },
                       ["Your score: ", el("strong", null, result.percent + "%"),
                        " (" + formatPoints(result.points) + " of " + result.max + " points). ",
                        "Pass mark: " + result.mastery + "%. ",
                        el("strong", null, result.passed ? "Passed." :
                           (final || !canRetry() ? "Not passed." : "Not passed yet."))]));
    /** @type {Object<string, number>} */
    var counts = { correct: 0, partial: 0, incorrect: 0, unanswered: 0 };
    for (var k = 0; k < result.questions.length; k++) {
      counts[result.questions[k].status] += 1;
    }
    box.appendChild(el("p", null, counts.correct + " correct, " + counts.partial +
                       " partly correct, " + counts.incorrect + " incorrect, " +
                       counts.unanswered + " not answered." +
                       (feedbackBelow ? " The feedback is under each question, below." : "")));
  }

  /** @param {number} x */
  function formatPoints(x) {
    var r = Math.round(x * 100) / 100;
    return String(r);
  }

  /**
   * @param {KcQuestion} q
   * @param {number} index
   * @param {boolean} locked      submitted: read-only, with feedback
   * @param {QuestionResult|null} outcome
   */
  function question(q, index, locked, outcome) {
    var fs = el("fieldset", { className: "question kc-question kc-" + q.type, id: "kc_" + q.id,
                              "data-type": q.type });
    fs.appendChild(el("legend", null, [
      el("span", { className: "q-number" }, "Question " + (index + 1) + " of " +
         kcQuestions.length + ": "),
      q.prompt
    ]));
    var a = S.answer(q.id);
    function changed() {
      S.touch(q.id);
      updateStatus();
      S.persist();
    }
    if (q.type === "single" || q.type === "multiple") {
      if (q.type === "multiple" && !/all that apply/i.test(q.prompt)) {
        fs.appendChild(el("p", { className: "hint" }, "Select all that apply."));
      }
      fs.appendChild(choiceControl(q, a, locked, changed));
    } else if (q.type === "true-false") {
      var name = "kc_" + q.id;
      fs.appendChild(el("div", { className: "choices choices-inline" }, [
        Dom.choiceInput("radio", name, name + "_true", "True", a === true, function () {
          now.state.answers[q.id] = true;
          changed();
        }, null, locked),
        Dom.choiceInput("radio", name, name + "_false", "False", a === false, function () {
          now.state.answers[q.id] = false;
          changed();
        }, null, locked)
      ]));
    } else if (q.type === "matching") {
      fs.appendChild(matchingControl(q, a, locked, changed));
    } else if (q.type === "ordering") {
      fs.appendChild(orderingControl(q, locked, changed));
    }
    if (locked && outcome) {
      fs.appendChild(feedbackBlock(q, a, outcome));
      fs.className += " status-" + outcome.status;
    } else if (CHECK_EACH && !locked && !S.has(FLAGS.SUBMITTED)) {
      fs.appendChild(checkButton(q));
    }
    return fs;
  }

  /* "Check": this question's feedback now, its answer locked from then on. */
  /** @param {KcQuestion} q */
  function checkButton(q) {
    var msg = el("p", { className: "error-message", id: "kc_" + q.id + "_check_msg",
                        hidden: true }, "Choose an answer first.");
    var b = Dom.button("kc_" + q.id + "_check", "Check", "button-secondary button-small",
                       function () {
      if (q.type !== "ordering" && !Report.isAnswered(q)) {
        msg.hidden = false;
        Dom.announce("Choose an answer first.");
        return;
      }
      if (q.type === "ordering" && !Report.isAnswered(q)) {
        now.state.answers[q.id] = currentOrder(q);  /* the order shown is the answer */
      }
      now.state.marks[q.id] = "c";
      S.persist();
      PmkitNav.render(false);
      var fb = Dom.byId("kc_" + q.id + "_feedback");
      if (fb) {
        fb.focus();
      }
      var status = Report.grade().questions[C.indexOfId(kcQuestions, q.id)].status;
      Dom.announce((STATUS_TEXT[status] || status) + ".");
    });
    b.setAttribute("aria-describedby", "kc_" + q.id + "_check_hint");
    return el("div", { className: "kc-check" }, [
      b, el("span", { className: "visually-hidden", id: "kc_" + q.id + "_check_hint" },
            "Shows this question\u2019s feedback now; its answer cannot be changed after."),
      msg]);
  }

  /* Radio buttons (single) or checkboxes (multiple, the checked ones in option order). */
  /**
   * @param {KcQuestion} q  @param {*} a  @param {boolean} locked
   * @param {function(): void} changed
   */
  function choiceControl(q, a, locked, changed) {
    var name = "kc_" + q.id;
    var box = el("div", { className: "choices" });
    var shown = C.shownOrder(q.id, q.options);
    for (var k = 0; k < shown.length; k++) {
      (function (opt) {
        var id = name + "_" + opt.id;
        var checked = q.type === "single" ? a === opt.id : !!(a && a.indexOf(opt.id) >= 0);
        box.appendChild(Dom.choiceInput(q.type === "single" ? "radio" : "checkbox", name, id,
                                        opt.text, checked, function () {
          if (q.type === "single") {
            now.state.answers[q.id] = opt.id;
          } else {
            var chosen = [];
            for (var m = 0; m < q.options.length; m++) {
              var input = /** @type {HTMLInputElement|null} */ (
                doc.getElementById(name + "_" + q.options[m].id));
              if (input && input.checked) {
                chosen.push(q.options[m].id);
              }
            }
            if (chosen.length) {
              now.state.answers[q.id] = chosen;
            } else {
              delete now.state.answers[q.id];
            }
          }
          changed();
        }, null, locked));
      }(shown[k]));
    }
    return box;
  }

  /* One select per pair; the answers in the shared option order, which gives nothing away. */
  /**
   * @param {KcQuestion} q  @param {*} a  @param {boolean} locked
   * @param {function(): void} changed
   */
  function matchingControl(q, a, locked, changed) {
    var answers = C.matchAnswers(q).slice();
    answers = C.shownOrder(q.id, answers);
    var box = el("div", { className: "matches" });
    for (var k = 0; k < q.pairs.length; k++) {
      (function (pair) {
        var id = "kc_" + q.id + "_" + pair.id;
        var select = el("select", { id: id, disabled: !!locked, "data-pair": pair.id });
        select.appendChild(el("option", { value: "" }, "Choose a match\u2026"));
        for (var m = 0; m < answers.length; m++) {
          select.appendChild(el("option", { value: answers[m].id,
                                            selected: !!(a && a[pair.id] === answers[m].id) },
                                answers[m].text));
        }
        select.addEventListener("change", function () {
          var current = S.answer(q.id) || {};
          /** @type {Object<string, string>} */
          var copy = {};
          for (var key in current) {
            if (C.hasOwn(current, key)) {
              copy[key] = current[key];
            }
          }
          if (select.value) {
            copy[pair.id] = select.value;
          } else {
            delete copy[pair.id];
          }
          var any = false;
          for (key in copy) {
            if (C.hasOwn(copy, key)) {
              any = true;
            }
          }
          if (any) {
            now.state.answers[q.id] = copy;
          } else {
            delete now.state.answers[q.id];
          }
          changed();
        });
        box.appendChild(el("div", { className: "match-row" }, [
          el("label", { htmlFor: id, className: "match-prompt" }, pair.prompt),
          select
        ]));
      }(q.pairs[k]));
    }
    return box;
  }

  /* A list with Move up / Move down buttons: keyboard and screen reader first,
   * no dragging. */
  /** @param {KcQuestion} q  @param {boolean} locked  @param {function(): void} changed */
  function orderingControl(q, locked, changed) {
    var wrap = el("div", { className: "ordering" });
    if (!locked) {
      wrap.appendChild(el("p", { className: "hint", id: "kc_" + q.id + "_help" },
                          "Use the Move up and Move down buttons to put the items in order."));
    }
    var listNode = el("ol", { className: "order-list", id: "kc_" + q.id + "_list" });
    wrap.appendChild(listNode);
    /** @param {string|null} focusId  @param {string|null} focusDir */
    function draw(focusId, focusDir) {
      Dom.clear(listNode);
      var order = currentOrder(q);
      for (var k = 0; k < order.length; k++) {
        listNode.appendChild(orderItem(order[k], k, order.length));
      }
      if (focusId) {
        var target = doc.getElementById("kc_" + q.id + "_" + focusId + "_" + focusDir);
        if (target) {
          target.focus();
        }
      }
    }
    /** @param {string} itemId  @param {number} pos  @param {number} count */
    function orderItem(itemId, pos, count) {
      var text = itemText(q, itemId);
      var li = el("li", { className: "order-item", "data-item": itemId },
                  el("span", { className: "order-text" }, text));
      if (!locked) {
        var up = el("button", { type: "button", className: "button button-small",
                                id: "kc_" + q.id + "_" + itemId + "_up",
                                "aria-label": "Move up: " + text,
                                "aria-disabled": pos === 0 ? "true" : null },
                    "Move up");
        var down = el("button", { type: "button", className: "button button-small",
                                  id: "kc_" + q.id + "_" + itemId + "_down",
                                  "aria-label": "Move down: " + text,
                                  "aria-disabled": pos === count - 1 ? "true" : null },
                      "Move down");
        up.addEventListener("click", function () { move(itemId, -1); });
        down.addEventListener("click", function () { move(itemId, 1); });
        li.appendChild(el("span", { className: "order-buttons" }, [up, down]));
      }
      return li;
    }
    /** @param {string} itemId  @param {number} delta */
    function move(itemId, delta) {
      var order = currentOrder(q);
      var pos = order.indexOf(itemId);
      var to = pos + delta;
      var text = itemText(q, itemId);
      if (to < 0 || to >= order.length) {
        Dom.announce("\u201c" + text + "\u201d is already " + (to < 0 ? "first." : "last."));
        return;
      }
      order.splice(pos, 1);
      order.splice(to, 0, itemId);
      now.state.answers[q.id] = order;
      draw(itemId, delta < 0 ? "up" : "down");
      Dom.announce("\u201c" + text + "\u201d moved to position " + (to + 1) + " of " +
                   order.length + ".");
      changed();
    }
    draw(null, null);
    return wrap;
  }

  /** @type {Object<string, string>} */
  var STATUS_TEXT = { correct: "Correct", partial: "Partly correct", incorrect: "Incorrect",
                      unanswered: "Not answered" };

  /** @param {KcQuestion} q  @param {*} a  @param {QuestionResult} outcome */
  function feedbackBlock(q, a, outcome) {
    var box = el("div", { className: "feedback status-" + outcome.status,
                          id: "kc_" + q.id + "_feedback", "data-status": outcome.status,
                          tabindex: "-1" });
    var label = STATUS_TEXT[outcome.status] || outcome.status;
    if (outcome.status === "partial") {
      label += " (" + Math.round(outcome.score * 100) + "% of the point)";
    }
    box.appendChild(el("p", { className: "feedback-status" }, el("strong", null, label)));
    if (q.type === "single" || q.type === "multiple") {
      box.appendChild(choiceFeedback(q, a));
    } else if (q.type === "true-false") {
      if (a === true || a === false) {
        var fb = a ? q.true_feedback : q.false_feedback;
        box.appendChild(el("p", null, [el("strong", null, "Your answer: "),
                                       a ? "True" : "False", fb ? ". " + fb : ""]));
      }
      box.appendChild(el("p", null, [el("strong", null, "Correct answer: "),
                                     q.answer ? "True" : "False"]));
    } else if (q.type === "matching" || q.type === "ordering") {
      var key = outcome.status === "unanswered" ? "incorrect" : outcome.status;
      if (q.feedback && q.feedback[key]) {
        box.appendChild(el("p", null, q.feedback[key]));
      }
      if (q.type === "matching") {
        box.appendChild(matchingFeedback(q, a));
      } else {
        box.appendChild(el("p", null, el("strong", null, "The correct order:")));
        var correct = [];
        for (var k = 0; k < q.items.length; k++) {
          correct.push(q.items[k].text);
        }
        box.appendChild(Dom.list("ol", correct, "correct-order"));
      }
    }
    box.appendChild(el("div", { className: "explanation" },
                       [el("p", null, el("strong", null, "Explanation")),
                        Dom.paragraphs(q.explanation)]));
    return box;
  }

  /* The options chosen (right or wrong) and the right ones not chosen. */
  /** @param {KcQuestion} q  @param {*} a */
  function choiceFeedback(q, a) {
    var ul = el("ul", { className: "option-feedback" });
    for (var k = 0; k < q.options.length; k++) {
      var opt = q.options[k];
      var chosen = q.type === "single" ? a === opt.id : !!(a && a.indexOf(opt.id) >= 0);
      if (!chosen && !opt.correct) {
        continue;
      }
      var tag = chosen ? (opt.correct ? "Your answer, correct: " : "Your answer, incorrect: ") :
        "Correct answer you did not choose: ";
      ul.appendChild(el("li", { className: chosen === opt.correct ? "is-right" : "is-wrong" }, [
        el("strong", null, tag), opt.text,
        chosen && opt.feedback ? el("span", { className: "option-note" }, " " + opt.feedback) :
          null
      ]));
    }
    return ul;
  }

  /** @param {KcQuestion} q  @param {*} a */
  function matchingFeedback(q, a) {
    var all = C.matchAnswers(q);
    var rows = el("ul", { className: "option-feedback" });
    for (var k = 0; k < q.pairs.length; k++) {
      var pair = q.pairs[k];
      var given = a && C.hasOwn(a, pair.id) ? a[pair.id] : null;
      var idx = given ? C.indexOfId(all, given) : -1;
      var right = given === pair.id;
      rows.appendChild(el("li", { className: right ? "is-right" : "is-wrong" }, [
        el("strong", null, pair.prompt + ": "),
        idx >= 0 ? "you chose \u201c" + all[idx].text + "\u201d" : "no answer",
        right ? " (correct)." : "; the match is \u201c" + pair.match + "\u201d."
      ]));
    }
    return rows;
  }

  function submit() {
    if (S.has(FLAGS.SUBMITTED) || (LIMIT && now.state.attempts >= LIMIT)) {
      return;
    }
    for (var k = 0; k < kcQuestions.length; k++) {
      var q = kcQuestions[k];
      if (q.type === "ordering" && !Report.isAnswered(q)) {
        now.state.answers[q.id] = currentOrder(q);  /* the order shown is the answer */
      }
    }
    var result = Report.grade();
    reviewPage = 0;
    submittedGrade = result;
    Report.recordKnowledge(result);
    now.state.flags |= FLAGS.SUBMITTED;
    now.state.attempts = Math.min(now.state.attempts + 1, Codec.MAX_ATTEMPTS);
    now.state.best = Math.max(now.state.best, result.percent);
    Report.reportGrade(result);
    S.persist();
    PmkitNav.render(false);
    var box = Dom.byId("kc-result");
    if (box) {
      box.focus();
    }
    Dom.announce("Answers submitted. Your score is " + result.percent + "%: " +
                 (result.passed ? "passed." : "not passed yet."));
  }

  /* "Try again": only the knowledge check starts afresh (the self-discovery and
   * starting-point answers stay); the reported status and score stay as they are
   * until a better attempt is submitted. */
  function retry() {
    if (!canRetry()) {
      return;
    }
    for (var k = 0; k < kcQuestions.length; k++) {
      delete now.state.answers[kcQuestions[k].id];
      delete now.latency[kcQuestions[k].id];
    }
    now.state.marks = {};
    now.state.flags &= ~FLAGS.SUBMITTED;
    now.kcPage = 0;
    submittedGrade = null;
    S.persist();
    PmkitNav.render(false);
    var h = Dom.byId("screen-heading");
    if (h) {
      h.focus();
    }
    Dom.announce("Attempt " + (now.state.attempts + 1) + (LIMIT ? " of " + LIMIT : "") +
                 ": your knowledge-check answers were cleared.");
  }

  return { screen: screen, leave: leave, fillResult: fillResult, limit: LIMIT };
}(document, PmkitCourse, PmkitCodec, PmkitDom, PmkitReport, PmkitSession));
