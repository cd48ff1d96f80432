/*
 * app-session.js - this session's mutable state, in one object, and keeping
 * the learner's state: in the LMS (cmi.suspend_data, through PmkitRuntime) or,
 * standalone, in localStorage. Every other file reads and changes the session
 * through PmkitSession.now, so what can change lives in one place.
 */

/* global PmkitCourse, PmkitCodec, PmkitDom */
/* exported PmkitSession */
var PmkitSession = (function (win, C, Codec, Dom) {
  "use strict";

  /**
   * @typedef {Object} Session
   * @property {AppState} state            what is saved (docs/scorm-package.md, "The state")
   * @property {boolean} connected         an LMS API was found
   * @property {boolean} ended             the runtime session was finished
   * @property {"normal"|"review"|"browse"} lmsMode   cmi.mode / cmi.core.lesson_mode
   * @property {boolean} settled           a relaunch after Finish that only shows the
   *     results: nothing is written (not even a session time) until Retake
   * @property {boolean} readOnly          the results view after Finish
   * @property {boolean} attemptComplete   review mode without a state to show
   * @property {{completion: string, success: string}|null} lmsStatus   as the LMS
   *     reported it at start
   * @property {number|null} reportedScore   the best score already reported (scaled)
   * @property {string} reportedSuccess
   * @property {Object<string, string>} recorded   question id -> response last recorded
   * @property {Object<string, number>} latency    question id -> ms from screen shown to answer
   * @property {number} shownAt            when the current screen was shown (ms)
   * @property {number} maxScreen          the furthest screen reached (progress)
   * @property {string} objectivesWritten  the track shares last written, as a signature
   * @property {string[]} walkPath         the decision-tree exploration's choices, from the
 *     start node ([]: none, the learner's own path is shown)
 * @property {string|null} walkFrom      the id of the button that started the exploration
 *     (focus returns to it)
 * @property {number|null} kcPage        the knowledge-check screen shown (null: the first
 *     one with a question neither answered nor skipped)
   * @property {boolean} storageOk
   * @property {string|null} lastSaved     the state and location last saved
   */

  /** @type {Session} */
  var now = {
    state: Codec.freshState(),
    connected: false,
    ended: false,
    lmsMode: "normal",
    settled: false,
    readOnly: false,
    attemptComplete: false,
    lmsStatus: null,
    reportedScore: null,
    reportedSuccess: "unknown",
    recorded: {},
    latency: {},
    shownAt: new Date().getTime(),
    maxScreen: 0,
    objectivesWritten: "",
    walkPath: [],
    walkFrom: null,
    kcPage: null,
    storageOk: true,
    lastSaved: null
  };

  var storageKey = C.scorm.storageKey;

  /* True when this session may report to the LMS now. */
  function reporting() {
    return now.connected && !now.ended && now.lmsMode === "normal" && !now.settled;
  }

  /** @param {number} flag  a PmkitCodec.FLAGS value */
  function has(flag) {
    return (now.state.flags & flag) === flag;
  }

  /** @param {string} id  @returns {*} the answer to question `id`, or undefined */
  function answer(id) {
    return C.hasOwn(now.state.answers, id) ? now.state.answers[id] : undefined;
  }

  /* The latency the LMS is told: from the screen shown to this (last) answer. */
  /** @param {string} qid */
  function touch(qid) {
    now.latency[qid] = new Date().getTime() - now.shownAt;
  }

  /* Answers of this session start afresh: Retake and Reset progress. */
  function forgetAnswers() {
    now.state.answers = {};
    now.readOnly = false;
    now.recorded = {};
    now.latency = {};
    now.walkPath = [];
    now.walkFrom = null;
    now.kcPage = null;
  }

  function storageGet() {
    try {
      return win.localStorage.getItem(storageKey);
    } catch (e) {
      now.storageOk = false;
      return null;
    }
  }

  /** @param {string|null} value  null removes the saved state */
  function storageSet(value) {
    try {
      if (value === null) {
        win.localStorage.removeItem(storageKey);
      } else {
        win.localStorage.setItem(storageKey, value);
      }
      return true;
    } catch (e) {
      if (now.storageOk) {
        Dom.notice(C.T("app.storage_blocked"), "warning");
      }
      now.storageOk = false;
      return false;
    }
  }

  function save() {
    var text = Codec.encodeState(now.state);
    var location = C.SCREENS[now.state.screen].id;
    if (text.length > C.scorm.limits.suspendData) {
      Dom.notice(C.T("app.state_too_long", { count: text.length }), "warning");
      return;
    }
    if (text + "#" + location === now.lastSaved) {
      return;
    }
    if (now.connected) {
      if (reporting()) {
        now.lastSaved = text + "#" + location;
        win.PmkitRuntime.saveState(text, location);
      }
    } else {
      now.lastSaved = text + "#" + location;
      storageSet(text);
    }
  }

  /* Save the state and commit: after every answer and every screen change. */
  function persist() {
    save();
    if (reporting()) {
      win.PmkitRuntime.commit();
    }
  }

  return {
    now: now,
    reporting: reporting,
    has: has,
    answer: answer,
    touch: touch,
    forgetAnswers: forgetAnswers,
    storageGet: storageGet,
    storageSet: storageSet,
    save: save,
    persist: persist
  };
}(window, PmkitCourse, PmkitCodec, PmkitDom));
