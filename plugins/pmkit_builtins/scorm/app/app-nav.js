/*
 * app-nav.js - moving between screens: which screen draws what, the header's
 * progress and the Back/Next bar, what is recorded when a screen is left, and
 * the one rule Next enforces (the starting point needs a complete path).
 */

/* global PmkitCodec, PmkitCourse, PmkitDom, PmkitExploreScreens, PmkitFinishScreens, PmkitIntroScreens,
   PmkitKnowledgeScreen, PmkitRecommendationScreen, PmkitReport, PmkitSession, PmkitTree */
/* exported PmkitNav */
var PmkitNav = (function (win, doc, C, Dom, Report, S, Tree) {
  "use strict";

  var now = S.now;
  var SCREENS = C.SCREENS;
  var SCREEN = C.SCREEN;

  /** @type {Object<string, function(): HTMLElement>} screen id -> its renderer */
  var RENDER = {
    "welcome": PmkitIntroScreens.welcome,
    "self-discovery": PmkitIntroScreens.selfDiscovery,
    "starting-point": PmkitIntroScreens.startingPoint,
    "recommendation": PmkitRecommendationScreen.screen,
    "tracks": PmkitExploreScreens.tracks,
    "decision-tree": PmkitExploreScreens.walk,
    "future": PmkitExploreScreens.future,
    "knowledge-check": PmkitKnowledgeScreen.screen,
    "next-steps": PmkitFinishScreens.nextSteps,
    "finish": PmkitFinishScreens.finish
  };

  /* Draw the current screen; `focus` moves focus to its heading (a screen change). */
  /** @param {boolean} focus */
  function render(focus) {
    var main = Dom.byId("main");
    var screen = SCREENS[now.state.screen];
    var done = now.readOnly || now.attemptComplete;
    Dom.clear(main);
    PmkitKnowledgeScreen.leave();
    main.appendChild(now.attemptComplete ? PmkitFinishScreens.attemptComplete() :
                     RENDER[screen.id]());
    now.shownAt = new Date().getTime();
    var label = now.attemptComplete ? "This attempt is complete" :
      (now.readOnly ? "Your results" : screen.label);
    doc.title = label + " \u2013 " + C.course.title;
    var progressText = Dom.byId("progress-text");
    var fill = Dom.byId("progress-fill");
    if (progressText) {
      progressText.textContent = now.attemptComplete ? "Attempt complete" :
        (now.readOnly ? "Course finished" :
         "Step " + (now.state.screen + 1) + " of " + SCREENS.length + ": " + screen.label);
    }
    if (fill) {
      fill.style.width = (done ? 100 :
                          Math.round(100 * (now.state.screen + 1) / SCREENS.length)) + "%";
    }
    var nextButton = Dom.byId("btn-next");
    Dom.byId("course-nav").hidden = done;
    Dom.byId("btn-back").hidden = now.state.screen === 0;
    nextButton.hidden = now.state.screen === SCREENS.length - 1;
    /* On an open knowledge check the check's own "Next questions" pages through it, so
     * the bar's button says what it does instead of offering a second "Next". */
    var openCheck = screen.id === "knowledge-check" && !done &&
      !S.has(PmkitCodec.FLAGS.SUBMITTED);
    nextButton.textContent = now.state.screen === 0 ? "Start" :
      (openCheck ? "Leave the check" : "Next");
    if (focus) {
      var h = Dom.byId("screen-heading");
      if (h) {
        h.focus();
      }
      if (win.scrollTo) {
        try {
          win.scrollTo(0, 0);
        } catch (e) { /* not scrollable */ }
      }
    }
  }

  /* Answers are recorded when their screen is left, not on every click. */
  /** @param {number} from */
  function leave(from) {
    if (from === SCREEN["self-discovery"]) {
      Report.recordSelfDiscovery();
    } else if (from === SCREEN["starting-point"]) {
      Report.recordTree();
    }
  }

  /** @param {number} index  @param {boolean} [force]  redraw even when already there */
  function go(index, force) {
    index = Math.max(0, Math.min(SCREENS.length - 1, index));
    if (index === now.state.screen && !force) {
      return;
    }
    leave(now.state.screen);
    Dom.clearNotices();
    now.state.screen = index;
    Report.reportProgress();
    render(true);
    S.persist();
  }

  function next() {
    if (now.state.screen === SCREEN["starting-point"] && !Tree.complete(now.state.answers)) {
      PmkitIntroScreens.showMissing();
      return;
    }
    go(now.state.screen + 1);
  }

  function back() {
    go(now.state.screen - 1);
  }

  return { render: render, go: go, next: next, back: back };
}(window, document, PmkitCourse, PmkitDom, PmkitReport, PmkitSession, PmkitTree));
