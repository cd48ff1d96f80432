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
    statusLine.textContent = C.T("app.kc.status", { answered: n, total: kcQuestions.length,
                                                    mastery: C.pkg.mastery });
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
      s.appendChild(Dom.heading(2, C.T("app.kc.review_heading")));
      reviewPage = Math.max(0, Math.min(reviewPage, REVIEW_PAGES - 1));
      var from = REVIEW_PAGES > 1 ? reviewPage * REVIEW_PER : 0;
      var to = REVIEW_PAGES > 1 ? Math.min(from + REVIEW_PER, kcQuestions.length) :
        kcQuestions.length;
      if (REVIEW_PAGES > 1) {
        s.appendChild(el("h3", { id: "kc-review-heading", tabindex: "-1" },
                         C.T("app.kc.page_range", { first: from + 1, last: to,
                                                    total: kcQuestions.length })));
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
      s.appendChild(el("p", { id: "kc-no-retry" }, C.T("app.kc.no_attempts_left", {
        limit: LIMIT, best: Math.max(now.state.best, 0) })));
      return s;
    }
    var attemptText = attemptLine();
    if (attemptText) {
      s.appendChild(el("p", { className: "kc-attempt", id: "kc-attempt" }, attemptText));
    }
    if (page === 0) {
      s.appendChild(el("p", { className: "hint" }, PAGES > 1 ?
                       C.T("app.kc.hint_pages") +
                       (CHECK_EACH ? " " + C.T("app.kc.hint_check") : "") :
                       C.T("app.kc.hint")));
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
    var range = count > 1 ?
      C.T("app.kc.page_range", { first: first + 1, last: first + count, total: kcQuestions.length }) :
      C.T("app.kc.page_one", { number: first + 1, total: kcQuestions.length });
    var fill = el("span", { className: "kc-progress-fill" });
    fill.style.width = Math.round(100 * (first + count) / kcQuestions.length) + "%";
    return el("div", { className: "kc-progress", id: "kc-progress" }, [
      el("h2", { id: "kc-page-heading", tabindex: "-1", className: "kc-page-heading" },
         range),
      el("div", { className: "kc-progress-track", "aria-hidden": "true" }, fill),
      el("p", { className: "kc-progress-text" }, C.T("app.kc.screen", { number: page + 1, total: PAGES }))
    ]);
  }

  /** @param {number} page */
  function pager(page) {
    var bar = el("div", { className: "kc-pager", id: "kc-pager" });
    var error = el("p", { className: "error-message", id: "kc-page-error", hidden: true },
                   C.T("app.kc.page_error"));
    pagerParts = { next: null, skip: null, error: error };
    if (page > 0) {
      bar.appendChild(Dom.button("kc-prev", C.T("app.kc.previous"), "button-secondary",
                                 function () { toPage(page - 1); }));
    }
    if (page < PAGES - 1) {
      var skip = Dom.button("kc-skip", C.T("app.kc.skip"), "button-secondary", function () {
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
                         C.T("app.kc.skip_hint")));
      var next = Dom.button("kc-next", C.T("app.kc.next"), "button-primary", function () {
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
      bar.appendChild(Dom.button("kc-submit", C.T("app.kc.submit"), "button-primary", submit));
    }
    return el("div", { className: "actions" }, [error, bar]);
  }

  /* Previous / next questions of a long review. */
  function reviewPager() {
    var bar = el("div", { className: "kc-pager", id: "kc-review-pager" });
    if (reviewPage > 0) {
      bar.appendChild(Dom.button("kc-review-prev", C.T("app.kc.previous"), "button-secondary",
                                 function () { toReviewPage(reviewPage - 1); }));
    }
    if (reviewPage < REVIEW_PAGES - 1) {
      bar.appendChild(Dom.button("kc-review-next", C.T("app.kc.next"), "button-primary",
                                 function () { toReviewPage(reviewPage + 1); }));
    }
    return el("div", { className: "actions" }, [
      el("p", { className: "kc-progress-text" },
         C.T("app.kc.review_screen", { number: reviewPage + 1, total: REVIEW_PAGES })), bar]);
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
    var text = attemptOf(n);
    if (now.state.best >= 0) {
      text += " " + C.T(now.state.best >= C.pkg.mastery ? "app.kc.best_so_far_passed" :
                        "app.kc.best_so_far", { best: now.state.best });
    }
    return text;
  }

  /** "Attempt 2 of 3." or "Attempt 2." @param {number} n */
  function attemptOf(n) {
    return LIMIT ? C.T("app.kc.attempt_of", { number: n, limit: LIMIT }) :
      C.T("app.kc.attempt", { number: n });
  }

  /* Under the result: "Try again" within the limit, or why not. */
  function retryBlock() {
    var box = el("div", { className: "kc-retry" });
    var attempts = now.state.attempts;
    if (attempts > 1 || LIMIT) {
      box.appendChild(el("p", { id: "kc-attempts" }, attemptOf(attempts) + " " +
                         C.T("app.kc.best", { best: Math.max(now.state.best, 0) }) + " " +
                         recordedWords()));
    }
    if (canRetry()) {
      box.appendChild(el("p", null, C.T("app.kc.retry_text")));
      box.appendChild(Dom.button("kc-retry", C.T("app.kc.retry"), "button-primary", retry));
    } else if (LIMIT && attempts >= LIMIT && !now.readOnly) {
      box.appendChild(el("p", { id: "kc-no-retry" }, C.T("app.kc.no_retry", { limit: LIMIT })));
    }
    return box;
  }

  /* What the LMS keeps, in words. */
  function recordedWords() {
    return now.lmsMode === "normal" ? (now.connected ?
      C.T("app.kc.best_recorded") : C.T("app.kc.best_kept")) : "";
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
    box.appendChild(Dom.heading(2, C.T("app.kc.result_heading")));
    box.appendChild(el("p", { className: "result-headline", id: "kc-score",
                              "data-percent": String(result.percent),
                              "data-passed": result.passed ? "true" : "false" },
                       [C.T("app.kc.score") + " ",
                        el("strong", null, C.T("app.percent", { value: result.percent })),
                        " " + C.T("app.kc.points", { points: formatPoints(result.points),
                                                     max: result.max }) + " ",
                        C.T("app.kc.pass_mark", { mastery: result.mastery }) + " ",
                        el("strong", null, result.passed ? C.T("app.kc.passed") :
                           (final || !canRetry() ? C.T("app.kc.not_passed") :
                            C.T("app.kc.not_passed_yet")))]));
    /** @type {Object<string, number>} */
    var counts = { correct: 0, partial: 0, incorrect: 0, unanswered: 0 };
    for (var k = 0; k < result.questions.length; k++) {
      counts[result.questions[k].status] += 1;
    }
    box.appendChild(el("p", null, C.T("app.kc.counts", counts) +
                       (feedbackBelow ? " " + C.T("app.kc.feedback_below") : "")));
  }

  /** @param {number} x */
  function formatPoints(x) {
    var r = Math.round(x * 100) / 100;
    return String(r).replace(".", C.T("app.decimal_mark"));
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
      el("span", { className: "q-number" }, C.T("app.kc.question_number", {
        number: index + 1, total: kcQuestions.length }) + " "),
      q.prompt
    ]));
    var a = S.answer(q.id);
    function changed() {
      S.touch(q.id);
      updateStatus();
      S.persist();
    }
    if (q.type === "single" || q.type === "multiple") {
      if (q.type === "multiple" &&
          q.prompt.toLowerCase().indexOf(C.T("app.kc.all_that_apply").toLowerCase()) < 0) {
        fs.appendChild(el("p", { className: "hint" }, C.T("app.kc.select_all")));
      }
      fs.appendChild(choiceControl(q, a, locked, changed));
    } else if (q.type === "true-false") {
      var name = "kc_" + q.id;
      fs.appendChild(el("div", { className: "choices choices-inline" }, [
        Dom.choiceInput("radio", name, name + "_true", C.T("app.true"), a === true, function () {
          now.state.answers[q.id] = true;
          changed();
        }, null, locked),
        Dom.choiceInput("radio", name, name + "_false", C.T("app.false"), a === false, function () {
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
                        hidden: true }, C.T("app.kc.choose_first"));
    var b = Dom.button("kc_" + q.id + "_check", C.T("app.kc.check"), "button-secondary button-small",
                       function () {
      if (q.type !== "ordering" && !Report.isAnswered(q)) {
        msg.hidden = false;
        Dom.announce(C.T("app.kc.choose_first"));
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
            C.T("app.kc.check_hint")),
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
        select.appendChild(el("option", { value: "" }, C.T("app.kc.choose_match")));
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
                          C.T("app.kc.ordering_help")));
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
                                "aria-label": C.T("app.kc.move_up_label", { item: text }),
                                "aria-disabled": pos === 0 ? "true" : null },
                    C.T("app.kc.move_up"));
        var down = el("button", { type: "button", className: "button button-small",
                                  id: "kc_" + q.id + "_" + itemId + "_down",
                                  "aria-label": C.T("app.kc.move_down_label", { item: text }),
                                  "aria-disabled": pos === count - 1 ? "true" : null },
                      C.T("app.kc.move_down"));
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
        Dom.announce(C.T(to < 0 ? "app.kc.already_first" : "app.kc.already_last", { item: text }));
        return;
      }
      order.splice(pos, 1);
      order.splice(to, 0, itemId);
      now.state.answers[q.id] = order;
      draw(itemId, delta < 0 ? "up" : "down");
      Dom.announce(C.T("app.kc.moved", { item: text, position: to + 1, total: order.length }));
      changed();
    }
    draw(null, null);
    return wrap;
  }

  /** @type {Object<string, string>} */
  var STATUS_TEXT = { correct: C.T("app.kc.status_correct"), partial: C.T("app.kc.status_partial"),
                      incorrect: C.T("app.kc.status_incorrect"),
                      unanswered: C.T("app.kc.status_unanswered") };

  /** @param {KcQuestion} q  @param {*} a  @param {QuestionResult} outcome */
  function feedbackBlock(q, a, outcome) {
    var box = el("div", { className: "feedback status-" + outcome.status,
                          id: "kc_" + q.id + "_feedback", "data-status": outcome.status,
                          tabindex: "-1" });
    var label = STATUS_TEXT[outcome.status] || outcome.status;
    if (outcome.status === "partial") {
      label += " " + C.T("app.kc.partial_share", { percent: Math.round(outcome.score * 100) });
    }
    box.appendChild(el("p", { className: "feedback-status" }, el("strong", null, label)));
    if (q.type === "single" || q.type === "multiple") {
      box.appendChild(choiceFeedback(q, a));
    } else if (q.type === "true-false") {
      if (a === true || a === false) {
        var fb = a ? q.true_feedback : q.false_feedback;
        box.appendChild(el("p", null, [el("strong", null, C.T("app.your_answer") + " "),
                                       C.T(a ? "app.true" : "app.false"), fb ? ". " + fb : ""]));
      }
      box.appendChild(el("p", null, [el("strong", null, C.T("app.kc.correct_answer") + " "),
                                     C.T(q.answer ? "app.true" : "app.false")]));
    } else if (q.type === "matching" || q.type === "ordering") {
      var key = outcome.status === "unanswered" ? "incorrect" : outcome.status;
      if (q.feedback && q.feedback[key]) {
        box.appendChild(el("p", null, q.feedback[key]));
      }
      if (q.type === "matching") {
        box.appendChild(matchingFeedback(q, a));
      } else {
        box.appendChild(el("p", null, el("strong", null, C.T("app.kc.correct_order"))));
        var correct = [];
        for (var k = 0; k < q.items.length; k++) {
          correct.push(q.items[k].text);
        }
        box.appendChild(Dom.list("ol", correct, "correct-order"));
      }
    }
    box.appendChild(el("div", { className: "explanation" },
                       [el("p", null, el("strong", null, C.T("app.kc.explanation"))),
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
      var tag = C.T(chosen ? (opt.correct ? "app.kc.chosen_correct" : "app.kc.chosen_incorrect") :
        "app.kc.missed") + " ";
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
        idx >= 0 ? C.T("app.kc.you_chose", { answer: all[idx].text }) : C.T("app.kc.no_answer"),
        right ? " " + C.T("app.kc.match_correct") :
          C.T("app.kc.match_is", { answer: pair.match })
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
    Dom.announce(C.T(result.passed ? "app.kc.submitted_passed" : "app.kc.submitted_not_passed",
                     { percent: result.percent }));
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
    Dom.announce(attemptOf(now.state.attempts + 1) + " " + C.T("app.kc.cleared"));
  }

  return { screen: screen, leave: leave, fillResult: fillResult, limit: LIMIT };
}(document, PmkitCourse, PmkitCodec, PmkitDom, PmkitReport, PmkitSession));
