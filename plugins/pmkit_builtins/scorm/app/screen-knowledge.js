/*
 * screen-knowledge.js - the knowledge check: one control per question type,
 * Submit (grade, record, report), then the result and feedback under each
 * question, read-only.
 */

/* global PmkitCourse, PmkitCodec, PmkitDom, PmkitNav, PmkitReport, PmkitSession */
/* exported PmkitKnowledgeScreen */
var PmkitKnowledgeScreen = (function (doc, C, Codec, Dom, Report, S) {
  "use strict";

  var el = Dom.el;
  var now = S.now;
  var kcQuestions = C.kcQuestions;
  var FLAGS = Codec.FLAGS;

  /* The "answered n of m" line, while the check is open; null on other screens. */
  /** @type {HTMLElement|null} */
  var statusLine = null;

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
    var n = 0;
    for (var k = 0; k < kcQuestions.length; k++) {
      if (kcQuestions[k].type === "ordering" || Report.isAnswered(kcQuestions[k])) {
        n += 1;
      }
    }
    statusLine.textContent = "You have answered " + n + " of " + kcQuestions.length +
      " questions. Pass mark: " + C.pkg.mastery + "%.";
  }

  function screen() {
    var kc = C.course.knowledge_check;
    var s = Dom.section("knowledge-check", kc.title, kc.intro);
    var submitted = S.has(FLAGS.SUBMITTED);
    var result = submitted ? Report.grade() : null;
    var summary = el("div", { className: "kc-result", id: "kc-result", tabindex: "-1",
                              hidden: !submitted });
    s.appendChild(summary);
    if (submitted) {
      fillResult(summary, result, false);
    } else {
      s.appendChild(el("p", { className: "hint" }, "Answer the questions, then select " +
                       "\u201cSubmit answers\u201d at the end to see your score and " +
                       "feedback. Ordering questions count as answered in the order shown."));
    }
    var form = el("div", { className: "kc-questions" });
    for (var k = 0; k < kcQuestions.length; k++) {
      form.appendChild(question(kcQuestions[k], k, submitted,
                                result ? result.questions[k] : null));
    }
    s.appendChild(form);
    statusLine = el("p", { className: "hint", id: "kc-answered" });
    if (!submitted) {
      s.appendChild(statusLine);
      updateStatus();
      s.appendChild(el("div", { className: "actions" },
                       Dom.button("kc-submit", "Submit answers", "button-primary", submit)));
    }
    return s;
  }

  /* The screen is being replaced: the status line is no longer on the page. */
  function leave() {
    statusLine = null;
  }

  /* The result box: the score, pass or not, and the count per status. `final`:
   * after Finish (no "yet", no pointer to the feedback). */
  /** @param {HTMLElement} box  @param {Grade} result  @param {boolean} final */
  function fillResult(box, result, final) {
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
                           (final ? "Not passed." : "Not passed yet."))]));
    /** @type {Object<string, number>} */
    var counts = { correct: 0, partial: 0, incorrect: 0, unanswered: 0 };
    for (var k = 0; k < result.questions.length; k++) {
      counts[result.questions[k].status] += 1;
    }
    box.appendChild(el("p", null, counts.correct + " correct, " + counts.partial +
                       " partly correct, " + counts.incorrect + " incorrect, " +
                       counts.unanswered + " not answered." +
                       (final ? "" : " The feedback is under each question.")));
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
    }
    return fs;
  }

  /* Radio buttons (single) or checkboxes (multiple, the checked ones in option order). */
  /**
   * @param {KcQuestion} q  @param {*} a  @param {boolean} locked
   * @param {function(): void} changed
   */
  function choiceControl(q, a, locked, changed) {
    var name = "kc_" + q.id;
    var box = el("div", { className: "choices" });
    for (var k = 0; k < q.options.length; k++) {
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
      }(q.options[k]));
    }
    return box;
  }

  /* One select per pair; the answers sorted by text so their order gives nothing away. */
  /**
   * @param {KcQuestion} q  @param {*} a  @param {boolean} locked
   * @param {function(): void} changed
   */
  function matchingControl(q, a, locked, changed) {
    var answers = C.matchAnswers(q).slice();
    answers.sort(function (x, y) {
      var c = x.text.toLowerCase() < y.text.toLowerCase() ? -1 :
        (x.text.toLowerCase() > y.text.toLowerCase() ? 1 : 0);
      return c || (x.id < y.id ? -1 : 1);
    });
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
                          id: "kc_" + q.id + "_feedback", "data-status": outcome.status });
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
    if (S.has(FLAGS.SUBMITTED)) {
      return;
    }
    for (var k = 0; k < kcQuestions.length; k++) {
      var q = kcQuestions[k];
      if (q.type === "ordering" && !Report.isAnswered(q)) {
        now.state.answers[q.id] = currentOrder(q);  /* the order shown is the answer */
      }
    }
    var result = Report.grade();
    Report.recordKnowledge(result);
    now.state.flags |= FLAGS.SUBMITTED;
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

  return { screen: screen, leave: leave, fillResult: fillResult };
}(document, PmkitCourse, PmkitCodec, PmkitDom, PmkitReport, PmkitSession));
