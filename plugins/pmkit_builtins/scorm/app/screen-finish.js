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
      fs.appendChild(el("legend", null, "Your first steps (a checklist for you: it is not " +
                                        "saved or graded)"));
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
      s.appendChild(Dom.heading(2, "Closing advice"));
      Dom.append(s, Dom.paragraphs(g.closing));
    }
    PmkitIntroScreens.ownSections(s, "next-steps");
    var attribution = C.course.attribution;
    if (attribution && attribution.note) {
      s.appendChild(el("div", { className: "aside" }, [Dom.heading(2, "From the source"),
                                                        Dom.paragraphs(attribution.note)]));
    }
    return s;
  }

  /* The knowledge check's outcome in one sentence, announced on Finish: the best
   * attempt's, which is what the LMS keeps. */
  function statusLine() {
    if (now.state.attempts > 0 && now.state.best >= 0) {
      return "Knowledge check: " + (now.state.attempts > 1 ? "best score " : "") +
        now.state.best + "% (pass mark " + C.pkg.mastery + "%), " +
        (now.state.best >= C.pkg.mastery ? "passed." : "not passed.");
    }
    return "You have not submitted the knowledge check.";
  }

  /** @param {HTMLElement} container */
  function resultsSummary(container) {
    container.appendChild(Dom.heading(2, "Your recommendation"));
    container.appendChild(PmkitRecommendationScreen.block(Report.recommendation(), 3));
    container.appendChild(Dom.heading(2, "Knowledge check"));
    var best = now.state.best;
    var several = now.state.attempts > 1 || PmkitKnowledgeScreen.limit > 0;
    if (S.has(FLAGS.SUBMITTED)) {
      var box = el("div", { className: "kc-result", id: "kc-result" });
      PmkitKnowledgeScreen.fillResult(box, Report.grade(), now.readOnly, false);
      box.removeChild(box.firstChild);  /* its own "Your result" heading */
      if (several && best >= 0) {
        box.insertBefore(el("p", { id: "kc-best" }, "Your last attempt is shown. Your best " +
                              "score, the one " + (now.connected ? "recorded" : "kept") +
                              ", is " + best + "% (" + (best >= C.pkg.mastery ? "passed" :
                                                         "not passed") + "), from " +
                              now.state.attempts + " attempts."), box.firstChild);
      }
      container.appendChild(box);
    } else if (now.state.attempts > 0 && best >= 0) {
      /* "Try again" was selected and the new attempt not submitted */
      container.appendChild(el("p", { id: "kc-best" }, "Your best score, the one " +
                               (now.connected ? "recorded" : "kept") + ", is " + best +
                               "% (" + (best >= C.pkg.mastery ? "passed" : "not passed") +
                               "). Your last attempt was not submitted."));
    } else {
      container.appendChild(el("p", { id: "kc-score" }, "You have not submitted the " +
                               "knowledge check, so the course is recorded as not complete."));
    }
  }

  function finish() {
    var s = Dom.section("finish", now.readOnly ? "Your results" : "Finish the course", null);
    if (now.readOnly) {
      s.appendChild(el("p", { className: "lead", id: "finish-status" },
                       "You have finished this course. Here are your results (read only)."));
      resultsSummary(s);
      var actions = el("div", { className: "actions" });
      if (now.lmsMode !== "normal") {
        /* review and browse: the LMS shows the attempt, it does not let it change */
        actions.appendChild(el("p", null, "Nothing you do here is recorded: your recorded " +
                               "results stay as they are."));
      } else if (!now.connected || !now.ended) {
        actions.appendChild(el("p", null, "Want to go through the course again? Retake it: " +
                               "your answers are cleared, and a result already recorded is " +
                               "kept."));
        actions.appendChild(Dom.button("btn-retake", "Retake the course", "button-primary",
                                       retake));
      } else {
        actions.appendChild(el("p", null, "Your results are recorded. You can close this " +
                               "window now."));
      }
      s.appendChild(actions);
      return s;
    }
    s.appendChild(el("p", { className: "lead" }, now.lmsMode === "normal" ?
                     "Review your results, then select Finish to record them. To change " +
                     "something first, go back with Back." :
                     "Review your results, then select Finish. In this mode nothing is " +
                     "recorded. You can come back to earlier pages with Back first."));
    resultsSummary(s);
    if (!S.has(FLAGS.SUBMITTED) && now.state.attempts === 0) {
      s.appendChild(el("p", null, Dom.button("btn-goto-kc", "Go to the knowledge check",
                                             "button-secondary", function () {
        PmkitNav.go(C.SCREEN["knowledge-check"]);
      })));
    }
    s.appendChild(el("div", { className: "actions" },
                     Dom.button("btn-finish", "Finish", "button-primary", finishCourse)));
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
    Dom.announce("Course finished. " + statusLine());
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
    Dom.notice("Your answers were cleared. A result already recorded is kept.", "info");
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
      el("strong", null, "Reset all your progress?"),
      " Every answer in this course, your results and your place are deleted from this " +
      "browser. This cannot be undone."]);
    box.appendChild(question);
    box.appendChild(el("p", { className: "reset-actions" }, [
      Dom.button("btn-reset-yes", "Yes, delete my progress", "button-danger", function () {
        close();
        resetProgress();
      }),
      " ",
      Dom.button("btn-reset-no", "Cancel", "button-secondary", close)
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
    Dom.notice("Your progress was reset.", "info");
  }

  /* What the LMS holds for this attempt, in words ("" when it said nothing). */
  function recordedText() {
    var st = now.lmsStatus || { completion: "", success: "" };
    var words = st.success === "passed" ? "passed" :
      (st.success === "failed" ? "not passed" :
       (st.completion === "completed" ? "completed" : ""));
    if (!words) {
      return "";
    }
    var score = now.reportedScore === null ? "" :
      ", with a score of " + Math.round(now.reportedScore * 100) + "%";
    return "Your learning system has this attempt recorded as " + words + score + ".";
  }

  /* Review mode without a state: the LMS opened a finished attempt but handed back
   * none of its data (Moodle does so for a SCORM 2004 attempt that ended with
   * exit = normal). A fresh course here would look like a lost result, so say
   * what happened instead (docs/scorm-package.md, "Review and browse modes"). */
  function attemptComplete() {
    var s = Dom.section("attempt-complete", "This attempt is complete", null);
    s.appendChild(el("p", { className: "lead", id: "complete-status" },
                     "Your learning system opened this attempt for review without its " +
                     "saved answers, so they cannot be shown here."));
    var recordedLine = recordedText();
    if (recordedLine) {
      s.appendChild(el("p", { id: "complete-recorded" }, recordedLine));
    }
    s.appendChild(el("p", null, "Nothing you do here changes your recorded result. You can " +
                     "see it with your grades in the learning system. To go through the " +
                     "course again, start a new attempt there, if your course allows it."));
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
