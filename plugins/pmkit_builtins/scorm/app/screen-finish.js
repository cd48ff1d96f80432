/*
 * screen-finish.js - the end of the course: next steps, the Finish screen, the
 * results read-only after Finish with Retake, "Reset progress" (standalone),
 * and "This attempt is complete" (review mode without a state). See
 * docs/scorm-package.md, "Leaving and coming back" and "Review and browse modes".
 */

/* global PmkitCourse, PmkitCodec, PmkitDom, PmkitIntroScreens, PmkitKnowledgeScreen, PmkitNav,
   PmkitRecommendationScreen, PmkitReport, PmkitSession */
/* exported PmkitFinishScreens */
var PmkitFinishScreens = (function (win, C, Codec, Dom, Report, S) {
  "use strict";

  var el = Dom.el;
  var now = S.now;
  var FLAGS = Codec.FLAGS;

  /* Only in the screens list when it has something to show (app-course.js). */
  function nextSteps() {
    var g = C.course.guidance;
    var s = Dom.section("next-steps", g.first_steps ? g.first_steps.heading :
                        C.SCREENS[C.SCREEN["next-steps"]].label, null);
    if (g.first_steps) {
      Dom.append(s, Dom.paragraphs(g.first_steps.intro));
      var fs = el("fieldset", { className: "question checklist", id: "first-steps" });
      fs.appendChild(el("legend", null, C.T("app.next_steps.checklist")));
      for (var k = 0; k < g.first_steps.steps.length; k++) {
        fs.appendChild(Dom.choiceInput("checkbox", "step_" + k, "step_" + k,
                                       g.first_steps.steps[k], false, function () {}));
      }
      s.appendChild(fs);
    }
    if (g.continuous_growth) {
      s.appendChild(Dom.heading(2, g.continuous_growth.heading));
      Dom.append(s, Dom.paragraphs(g.continuous_growth.intro));
      s.appendChild(Dom.list("ul", g.continuous_growth.habits));
    }
    if (g.closing) {
      s.appendChild(Dom.heading(2, C.T("app.next_steps.closing")));
      Dom.append(s, Dom.paragraphs(g.closing));
    }
    PmkitIntroScreens.ownSections(s, "next-steps");
    var attribution = C.course.attribution;
    if (attribution && attribution.note) {
      s.appendChild(el("div", { className: "aside" }, [Dom.heading(2, C.T("app.next_steps.from_source")),
                                                        Dom.paragraphs(attribution.note)]));
    }
    return s;
  }

  /* The knowledge check's outcome in one sentence, announced on Finish: the best
   * attempt's, which is what the LMS keeps. */
  function statusLine() {
    if (now.state.attempts > 0 && now.state.best >= 0) {
      return C.T("app.finish.status" + (now.state.attempts > 1 ? "_best" : "") +
                 (now.state.best >= C.pkg.mastery ? "_passed" : "_not_passed"),
                 { score: now.state.best, mastery: C.pkg.mastery });
    }
    return C.T("app.finish.not_submitted");
  }

  /** @param {HTMLElement} container */
  function resultsSummary(container) {
    container.appendChild(Dom.heading(2, C.T("app.recommendation.heading")));
    container.appendChild(PmkitRecommendationScreen.block(Report.recommendation(), 3));
    container.appendChild(Dom.heading(2, C.SCREENS[C.SCREEN["knowledge-check"]].label));
    var best = now.state.best;
    var several = now.state.attempts > 1 || PmkitKnowledgeScreen.limit > 0;
    if (S.has(FLAGS.SUBMITTED)) {
      var box = el("div", { className: "kc-result", id: "kc-result" });
      PmkitKnowledgeScreen.fillResult(box, Report.grade(), now.readOnly, false);
      box.removeChild(box.firstChild);  /* its own "Your result" heading */
      if (several && best >= 0) {
        box.insertBefore(el("p", { id: "kc-best" }, C.T("app.finish.last_shown") + " " +
                              bestWords(best) + " " +
                              C.T("app.finish.attempts_so_far", { count: now.state.attempts })),
                         box.firstChild);
      }
      container.appendChild(box);
    } else if (now.state.attempts > 0 && best >= 0) {
      /* "Try again" was selected and the new attempt not submitted */
      container.appendChild(el("p", { id: "kc-best" }, bestWords(best) + " " +
                               C.T("app.finish.last_not_submitted")));
    } else {
      container.appendChild(el("p", { id: "kc-score" }, C.T("app.finish.not_complete")));
    }
  }

  /* "Your best score, the one recorded, is 80% (passed)." */
  /** @param {number} best */
  function bestWords(best) {
    return C.T("app.finish.best_" + (now.connected ? "recorded" : "kept") +
               (best >= C.pkg.mastery ? "_passed" : "_not_passed"), { score: best });
  }

  function finish() {
    var s = Dom.section("finish", now.readOnly ? C.T("app.your_results") : C.T("app.finish.heading"), null);
    if (now.readOnly) {
      s.appendChild(el("p", { className: "lead", id: "finish-status" },
                       C.T("app.finish.done")));
      resultsSummary(s);
      var actions = el("div", { className: "actions" });
      if (now.lmsMode !== "normal") {
        /* review and browse: the LMS shows the attempt, it does not let it change */
        actions.appendChild(el("p", null, C.T("app.finish.not_recorded")));
      } else if (!now.connected || !now.ended) {
        actions.appendChild(el("p", null, C.T("app.finish.retake_text")));
        actions.appendChild(Dom.button("btn-retake", C.T("app.finish.retake"), "button-primary",
                                       retake));
      } else {
        actions.appendChild(el("p", null, C.T("app.finish.recorded")));
      }
      s.appendChild(actions);
      return s;
    }
    s.appendChild(el("p", { className: "lead" }, now.lmsMode === "normal" ?
                     C.T("app.finish.lead") : C.T("app.finish.lead_unrecorded")));
    resultsSummary(s);
    if (!S.has(FLAGS.SUBMITTED) && now.state.attempts === 0) {
      s.appendChild(el("p", null, Dom.button("btn-goto-kc", C.T("app.finish.goto_kc"),
                                             "button-secondary", function () {
        PmkitNav.go(C.SCREEN["knowledge-check"]);
      })));
    }
    s.appendChild(el("div", { className: "actions" },
                     Dom.button("btn-finish", C.T("app.finish.button"), "button-primary", finishCourse)));
    return s;
  }

  function finishCourse() {
    now.state.flags |= FLAGS.FINISHED;
    now.readOnly = true;
    Report.reportProgress();
    S.save();
    if (now.connected && !now.ended) {
      now.ended = true;
      win.PmkitRuntime.finish(true);
    }
    PmkitNav.render(true);
    Dom.announce(C.T("app.finish.announce") + " " + statusLine());
  }

  function retake() {
    now.settled = false;  /* from here on this session reports, as any other */
    S.forgetAnswers();
    /* The attempts and the best score stay: a retake is the same LMS attempt, so the
     * course's attempt limit still holds and the best score is still what is kept. */
    now.state.marks = {};
    now.state.flags &= ~(FLAGS.SUBMITTED | FLAGS.FINISHED);
    now.state.screen = C.SCREEN["self-discovery"];
    now.objectivesWritten = "";
    if (S.reporting()) {
      win.PmkitRuntime.setStatus("incomplete");  /* never lowers a status already reported */
    }
    PmkitNav.go(now.state.screen, true);
    Dom.notice(C.T("app.finish.retake_notice"), "info");
  }

  /* Standalone only. "Reset progress" wipes every answer at once, so it asks
   * first, in the page (a dialog the learner can read and Tab through, not
   * window.confirm, which some LMS frames block). */
  function confirmReset() {
    var box = Dom.byId("reset-confirm");
    var opener = Dom.byId("btn-reset");
    if (!box || !opener) {
      return;
    }
    Dom.clear(box);
    box.hidden = false;
    opener.setAttribute("aria-expanded", "true");
    function close() {
      Dom.clear(box);
      box.hidden = true;
      opener.setAttribute("aria-expanded", "false");
      opener.focus();
    }
    var question = el("p", { id: "reset-question", tabindex: "-1" }, [
      el("strong", null, C.T("app.reset.question")),
      " " + C.T("app.reset.warning")]);
    box.appendChild(question);
    box.appendChild(el("p", { className: "reset-actions" }, [
      Dom.button("btn-reset-yes", C.T("app.reset.yes"), "button-danger", function () {
        close();
        resetProgress();
      }),
      " ",
      Dom.button("btn-reset-no", C.T("app.reset.cancel"), "button-secondary", close)
    ]));
    question.focus();
  }

  /* Forget the state kept in this browser and start again. */
  function resetProgress() {
    S.storageSet(null);
    now.state = Codec.freshState();
    S.forgetAnswers();
    now.maxScreen = 0;
    now.lastSaved = null;
    PmkitNav.go(0, true);
    Dom.notice(C.T("app.reset.done"), "info");
  }

  /* What the LMS holds for this attempt, in words ("" when it said nothing). */
  function recordedText() {
    var st = now.lmsStatus || { completion: "", success: "" };
    var words = st.success === "passed" ? "passed" :
      (st.success === "failed" ? "not_passed" :
       (st.completion === "completed" ? "completed" : ""));
    if (!words) {
      return "";
    }
    return now.reportedScore === null ? C.T("app.complete.recorded_" + words) :
      C.T("app.complete.recorded_" + words + "_score",
          { score: Math.round(now.reportedScore * 100) });
  }

  /* Review mode without a state: the LMS opened a finished attempt but handed back
   * none of its data (Moodle does so for a SCORM 2004 attempt that ended with
   * exit = normal). A fresh course here would look like a lost result, so say
   * what happened instead (docs/scorm-package.md, "Review and browse modes"). */
  function attemptComplete() {
    var s = Dom.section("attempt-complete", C.T("app.attempt_complete_heading"), null);
    s.appendChild(el("p", { className: "lead", id: "complete-status" },
                     C.T("app.complete.lead")));
    var recordedLine = recordedText();
    if (recordedLine) {
      s.appendChild(el("p", { id: "complete-recorded" }, recordedLine));
    }
    s.appendChild(el("p", null, C.T("app.complete.text")));
    return s;
  }

  return {
    nextSteps: nextSteps,
    finish: finish,
    attemptComplete: attemptComplete,
    confirmReset: confirmReset,
    resetProgress: resetProgress
  };
}(window, PmkitCourse, PmkitCodec, PmkitDom, PmkitReport, PmkitSession));
