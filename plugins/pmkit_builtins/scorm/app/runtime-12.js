/*
 * scorm-runtime.js for SCORM 1.2 (packaged from runtime-12.js).
 *
 * The LMS adapter: finds the LMS's `API` object, writes exactly the SCORM 1.2
 * values of docs/scorm-package.md ("What the package reports") and never lets
 * an LMS failure reach the page. runtime-2004.js exposes the same interface on
 * the same global, so app.js never needs to know the version:
 *
 *   PmkitRuntime.start(notify, done) -> done({connected, version, mode, entry, state, location,
 *       status: {completion, success, lms}, score, progress, interactions})
 *     done runs before start returns: the SCORM API answers at once (the cmi5
 *     runtime calls it later, after its requests).
 *     connected false = no LMS found (standalone: app.js keeps the state itself).
 *     mode "normal" | "review" | "browse" (cmi.core.lesson_mode): in review and
 *     browse nothing below writes, commits or sets an exit (a read-only session).
 *     notify(text) is called for every LMS failure (a non-blocking notice).
 *   saveState(suspendData, location)   cmi.suspend_data + cmi.core.lesson_location
 *   recordInteraction(n, q, response, result, latencyMs, date)
 *       q = QuestionScorm; result = "correct" | "incorrect" | "neutral" | number
 *   setStatus("incomplete" | "passed" | "failed")   never lowers a reported status
 *   setScore(scaled)                   cmi.core.score.raw = round(100 x scaled), min 0, max 100
 *   setProgress(measure)               (SCORM 2004 only; a no-op here)
 *   setObjectives([{id, share}])       one cmi.objectives.n per track
 *   commit()                           session time + LMSCommit (retried once)
 *   finish(timed)                      LMSFinish, once; exit is suspend from start() on, so
 *                                      the LMS hands the state back after Finish too;
 *                                      timed false = no session time (nothing was done)
 *   lastError() -> {code, text, call} | null
 *
 * ES5, no dependencies, never throws.
 */
(function (win) {
  "use strict";

  /** @type {"1.2"} */
  var VERSION = "1.2";
  var API_NAME = "API";

  /* The version-independent part: runtime-common.js (see there). */
  var lms = win.PmkitLms.connect(win, API_NAME, {
    getLastError: "LMSGetLastError", getErrorString: "LMSGetErrorString",
    getValue: "LMSGetValue", setValue: "LMSSetValue"
  });
  var pad = win.PmkitLms.pad;
  var decimal = win.PmkitLms.decimal;
  var call = lms.call;
  var get = lms.get;
  var set = lms.set;

  var startedAt = 0;
  var lessonStatus = "";
  var savedState = null;
  var savedLocation = null;
  var objectiveIndex = {};
  var objectiveCount = 0;
  var exitSet = false;

  /* ---------------------------------------------------------------- formats */

  /* CMITimespan: HHHH:MM:SS.SS */
  function timespan(ms) {
    var cs = Math.max(0, Math.round((ms || 0) / 10));
    var hours = Math.floor(cs / 360000);
    if (hours > 9999) {
      return "9999:59:59.99";
    }
    var minutes = Math.floor((cs % 360000) / 6000);
    var seconds = Math.floor((cs % 6000) / 100);
    return pad(hours, 4) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2) + "." + pad(cs % 100, 2);
  }

  /* CMITime: HH:MM:SS (local time) */
  function clock(date) {
    return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" +
      pad(date.getSeconds(), 2);
  }

  /* ------------------------------------------------------------ the status */

  var RANK = { "": 0, "not attempted": 0, "browsed": 0, "incomplete": 1, "failed": 2,
               "completed": 2, "passed": 3 };

  function rank(status) {
    return Object.prototype.hasOwnProperty.call(RANK, status) ? RANK[status] : 0;
  }

  function normalized(status) {
    var completion = "unknown";
    var success = "unknown";
    if (status === "incomplete") {
      completion = "incomplete";
    } else if (status === "completed") {
      completion = "completed";
    } else if (status === "passed" || status === "failed") {
      completion = "completed";
      success = status;
    }
    return { completion: completion, success: success, lms: status };
  }

  /* --------------------------------------------------------------- the API */

  /** @type {PmkitRuntimeApi} */
  var runtime = {
    version: VERSION,

    start: win.PmkitLms.callsBack(function (notifier) {
      if (typeof notifier === "function") {
        lms.notify = notifier;
      }
      startedAt = new Date().getTime();
      lms.find();
      /** @type {StartInfo} */
      var info = { connected: false, version: VERSION, mode: "normal", entry: "", state: "",
                   location: "",
                   status: normalized(""), score: null, progress: null, interactions: 0 };
      if (!lms.api) {
        return info;
      }
      if (!call("LMSInitialize", [""])) {
        lms.api = null;
        return info;
      }
      lms.initialized = true;
      info.connected = true;
      /* Read first: in review and browse modes nothing may be written, not even the
       * exit below (docs/scorm-package.md, "Review and browse modes"). */
      info.mode = win.PmkitLms.mode(get("cmi.core.lesson_mode"));
      lms.recording = info.mode === "normal";
      info.entry = get("cmi.core.entry");
      info.state = get("cmi.suspend_data");
      info.location = get("cmi.core.lesson_location");
      lessonStatus = get("cmi.core.lesson_status");
      info.status = normalized(lessonStatus);
      var raw = get("cmi.core.score.raw");
      if (raw !== "" && !isNaN(parseFloat(raw))) {
        info.score = Math.max(0, Math.min(1, parseFloat(raw) / 100));
      }
      var count = parseInt(get("cmi.interactions._count"), 10);
      info.interactions = isNaN(count) ? 0 : count;
      var objectives = parseInt(get("cmi.objectives._count"), 10);
      objectiveCount = isNaN(objectives) ? 0 : objectives;
      for (var i = 0; i < objectiveCount; i++) {
        var id = get("cmi.objectives." + i + ".id");
        if (id !== "" && !Object.prototype.hasOwnProperty.call(objectiveIndex, id)) {
          objectiveIndex[id] = i;
        }
      }
      /* suspend from the first moment, finished or not: only then does an LMS hand
       * suspend_data back next time, and the results view after Finish needs it
       * (docs/scorm-package.md, "Leaving and coming back"). */
      exitSet = set("cmi.core.exit", "suspend");
      return info;
    }),

    connected: function () {
      return !!lms.api && lms.initialized && !lms.finished;
    },

    saveState: function (suspendData, location) {
      if (suspendData !== savedState && set("cmi.suspend_data", suspendData)) {
        savedState = suspendData;
      }
      if (location !== undefined && location !== null && location !== savedLocation &&
          set("cmi.core.lesson_location", location)) {
        savedLocation = location;
      }
    },

    recordInteraction: function (n, q, response, result, latencyMs, date) {
      var base = "cmi.interactions." + n + ".";
      var when = date || new Date();
      var outcome;
      if (typeof result === "number") {
        outcome = decimal(result);
      } else if (result === "incorrect" || result === "wrong") {
        outcome = "wrong";
      } else {
        outcome = result;
      }
      set(base + "id", q.interaction);
      set(base + "type", q.type);
      set(base + "student_response", response);
      if (q.graded && q.correct !== null && q.correct !== undefined) {
        set(base + "correct_responses.0.pattern", q.correct);
      }
      set(base + "result", outcome);
      set(base + "weighting", String(q.weighting));
      set(base + "time", clock(when));
      set(base + "latency", timespan(latencyMs));
    },

    setStatus: function (status) {
      if (rank(status) > rank(lessonStatus)) {
        if (set("cmi.core.lesson_status", status)) {
          lessonStatus = status;
        }
      }
      return normalized(lessonStatus);
    },

    setScore: function (scaled) {
      var raw = Math.max(0, Math.min(100, Math.round(100 * scaled)));
      set("cmi.core.score.min", "0");
      set("cmi.core.score.max", "100");
      set("cmi.core.score.raw", String(raw));
    },

    setProgress: function () {
      /* SCORM 1.2 has no progress measure */
    },

    setObjectives: function (tracks) {
      for (var i = 0; i < tracks.length; i++) {
        var id = tracks[i].id;
        var n;
        if (Object.prototype.hasOwnProperty.call(objectiveIndex, id)) {
          n = objectiveIndex[id];
        } else {
          n = objectiveCount;
          objectiveCount += 1;
          objectiveIndex[id] = n;
        }
        var base = "cmi.objectives." + n + ".";
        var share = Math.max(0, Math.min(100, Math.round(tracks[i].share)));
        set(base + "id", id);
        set(base + "score.min", "0");
        set(base + "score.max", "100");
        set(base + "score.raw", String(share));
        set(base + "status", "completed");
      }
    },

    commit: function () {
      if (!lms.api || !lms.initialized || lms.finished || !lms.recording) {
        return false;
      }
      set("cmi.core.session_time", timespan(new Date().getTime() - startedAt));
      /* a failed commit is reported (a notice) and retried once */
      return call("LMSCommit", [""]) || call("LMSCommit", [""]);
    },

    finish: function (timed) {
      if (!lms.api || !lms.initialized || lms.finished) {
        return false;
      }
      if (lms.recording) {
        if (!exitSet) {
          exitSet = set("cmi.core.exit", "suspend");  /* start() could not: try again */
        }
        if (timed !== false) {
          runtime.commit();
        }
      }
      lms.finished = true;
      return call("LMSFinish", [""]);
    },

    lastError: function () {
      return lms.last;
    }
  };

  win.PmkitRuntime = runtime;
}(window));
