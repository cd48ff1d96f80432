/*
 * app-main.js - start-up and leaving: connect to the LMS (or standalone
 * storage), restore the saved state, decide what the learner sees first, and
 * save on the way out. Also the test hooks, window.pmkitApp:
 * {encodeState(state), decodeState(text), state(), worstCaseState(), screens(),
 * go(screenIdOrIndex)}; a state is {screen, flags, interactions, answers} with
 * answers in the scorers' format.
 *
 * The last piece of app.js: everything it uses is defined by then.
 */

/* global PmkitCourse, PmkitCodec, PmkitDom, PmkitFinishScreens, PmkitNav, PmkitReport,
   PmkitSession */
(function (win, doc, C, Codec, Dom, Nav, Report, S) {
  "use strict";

  var el = Dom.el;
  var now = S.now;
  var SC = C.scorm;

  function fillFooter() {
    var src = C.course.attribution || {};
    var attribution = Dom.byId("attribution");
    if (attribution) {
      var parts = [C.T("app.footer.source", { title: src.title || C.course.title })];
      if (src.author) {
        parts.push(C.T("app.footer.by", { author: src.author }));
      }
      if (src.publisher && src.publisher !== src.author) {
        parts.push(", " + src.publisher);
      }
      parts.push(".");
      attribution.textContent = parts.join("");
    }
    var disclaimer = Dom.byId("disclaimer");
    if (disclaimer && src.disclaimer) {
      disclaimer.textContent = src.disclaimer;
    }
  }

  /* A banner under the header on every screen: in review and browse modes the course
   * looks the same as ever, so say plainly that nothing is recorded. It sits in the
   * header (a landmark) and is static text: it is read before the first screen. */
  function showModeBanner() {
    var header = doc.querySelector(".site-header");
    if (!header || Dom.byId("mode-banner")) {
      return;
    }
    var review = now.lmsMode === "review";
    header.appendChild(el("div", { className: "mode-banner", id: "mode-banner",
                                   "data-mode": now.lmsMode },
      el("div", { className: "mode-banner-inner" },
         el("p", null, [el("strong", null, review ? C.T("app.mode.review") :
                           C.T("app.mode.browse")), " ",
                        review ? C.T("app.mode.review_text") :
                                 C.T("app.mode.browse_text")]))));
  }

  /* Standalone: a note in the header, and "Reset progress" in the footer, out of
   * the way (it wipes everything, so it is neither the first thing Tab reaches nor
   * one click away: it asks first). */
  function standaloneTools() {
    var tools = Dom.byId("header-tools");
    if (tools) {
      tools.appendChild(el("p", { className: "mode-note" },
                           C.T("app.mode.standalone")));
    }
    var footer = doc.querySelector(".site-footer-inner");
    if (!footer) {
      return;
    }
    var reset = Dom.button("btn-reset", C.T("app.reset.button"), "button-secondary button-small",
                           PmkitFinishScreens.confirmReset);
    reset.setAttribute("aria-expanded", "false");
    reset.setAttribute("aria-controls", "reset-confirm");
    footer.insertBefore(el("div", { className: "reset-area", id: "reset-area" }, [
      el("p", { className: "reset-note" }, [
        C.T("app.reset.note") + " ", reset]),
      el("div", { className: "reset-confirm", id: "reset-confirm", role: "group",
                  "aria-labelledby": "reset-question", hidden: true })
    ]), footer.firstChild);
  }

  function onLeave() {
    if (now.ended) {
      return;
    }
    S.save();
    if (now.connected) {
      now.ended = true;
      win.PmkitRuntime.finish(!now.settled);  /* only looked at the results: no session time */
    }
  }

  /* The saved state, restored into the session; false when there was none usable
   * (with a notice saying why, when there was one). */
  /** @param {string|null} saved */
  function restore(saved) {
    if (!saved) {
      return false;
    }
    /* In review mode the course shows what was saved or nothing: it never restarts. */
    var otherwise = now.lmsMode === "review" ? C.T("app.restore.review") :
      C.T("app.restore.restart");
    var restored = Codec.decodeState(saved);
    if (restored) {
      now.state = restored;
      if (now.state.screen >= C.SCREENS.length) {
        now.state.screen = C.SCREENS.length - 1;
      }
      return true;
    }
    if (/^p\d+\|/.test(saved) && saved.split("|")[1] !== SC.stateVersion) {
      Dom.notice(C.T("app.restore.updated", { saved: saved.split("|")[1],
                                              current: SC.stateVersion }) + " " + otherwise,
                 "warning");
    } else {
      Dom.notice(C.T("app.restore.unreadable") + " " + otherwise, "warning");
    }
    return false;
  }

  /* The page, once the runtime has connected (or found no LMS). */
  /** @param {StartInfo|{connected: false}} info */
  function begin(info) {
    var runtime = win.PmkitRuntime;
    now.connected = !!info.connected;
    var lms = now.connected ? /** @type {StartInfo} */ (info) : null;
    now.lmsMode = lms && lms.mode ? lms.mode : "normal";
    now.lmsStatus = lms ? lms.status : null;
    var usable = restore(lms ? lms.state : S.storageGet());
    if (lms) {
      now.state.interactions = Math.max(now.state.interactions, lms.interactions || 0);
      now.reportedScore = lms.score === null || lms.score === undefined ? null : lms.score;
      now.reportedSuccess = lms.status ? lms.status.success : "unknown";
      if (typeof lms.mastery === "number") {
        C.pkg.mastery = lms.mastery;  /* the LMS's pass mark (cmi5 launch data) decides */
      }
    }
    if (now.state.best < 0 && S.has(Codec.FLAGS.SUBMITTED)) {
      /* a first-edition state: its one attempt is the submitted answers */
      now.state.best = Report.grade().percent;
    }
    now.maxScreen = now.state.screen;
    Report.rememberRecorded();
    now.readOnly = S.has(Codec.FLAGS.FINISHED);
    if (now.readOnly) {
      now.state.screen = C.SCREEN.finish;
      now.settled = now.connected;
    }
    now.attemptComplete = now.lmsMode === "review" && !usable;
    if (S.reporting()) {
      runtime.setStatus("incomplete");  /* never lowers a status already reported */
    } else if (!now.connected) {
      standaloneTools();
    }
    if (now.lmsMode !== "normal") {
      showModeBanner();
    }
    Dom.byId("btn-back").addEventListener("click", Nav.back);
    Dom.byId("btn-next").addEventListener("click", Nav.next);
    Report.reportProgress();
    Nav.render(false);
    S.persist();
    if (usable && now.state.screen > 0 && !now.readOnly) {
      Dom.notice(C.T("app.welcome_back"), "info");
    }
    win.addEventListener("pagehide", onLeave);
    doc.addEventListener("visibilitychange", function () {
      if (doc.visibilityState === "hidden" && !now.ended) {
        S.persist();
      }
    });
  }

  win.pmkitApp = {
    encodeState: Codec.encodeState,
    decodeState: Codec.decodeState,
    worstCaseState: Codec.worstCaseState,
    state: function () {
      return JSON.parse(JSON.stringify(now.state));
    },
    screens: function () {
      var out = [];
      for (var k = 0; k < C.SCREENS.length; k++) {
        out.push(C.SCREENS[k].id);
      }
      return out;
    },
    go: function (id) {
      Nav.go(typeof id === "number" ? id : C.SCREEN[id]);
    }
  };

  /** @param {*} e */
  function cannotStart(e) {
    var main = Dom.byId("main");
    if (main) {
      Dom.clear(main);
      main.appendChild(el("p", { className: "error-message" },
                          C.T("app.start_failed", { error: String(e && e.message ? e.message : e) })));
    }
    if (win.console && win.console.error) {
      win.console.error(e);
    }
  }

  /* Start-up is asynchronous: a runtime may fetch before the first screen (cmi5 gets
   * its token and launch data first); the SCORM runtimes call back at once. */
  function start() {
    fillFooter();
    var runtime = win.PmkitRuntime;
    if (!runtime || !runtime.start) {
      begin({ connected: false });
      return;
    }
    runtime.start(function (text) {
      Dom.notice(text, "error");
    }, function (info) {
      try {
        begin(info);
      } catch (e) {
        cannotStart(e);
      }
    });
  }

  try {
    start();
  } catch (e) {
    cannotStart(e);
  }
}(window, document, PmkitCourse, PmkitCodec, PmkitDom, PmkitNav, PmkitReport, PmkitSession));
