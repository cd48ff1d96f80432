/*
 * scorm-runtime.js for SCORM 2004 4th Edition (packaged from runtime-2004.js).
 *
 * The LMS adapter: finds the LMS's `API_1484_11` object, writes exactly the
 * SCORM 2004 values of docs/scorm-package.md ("What the package reports") and
 * never lets an LMS failure reach the page. runtime-12.js exposes the same
 * interface on the same global, so app.js never needs to know the version:
 *
 *   PmkitRuntime.start(notify, done) -> done({connected, version, mode, entry, state, location,
 *       status: {completion, success, lms}, score, progress, interactions})
 *     done runs before start returns: the SCORM API answers at once (the cmi5
 *     runtime calls it later, after its requests).
 *     connected false = no LMS found (standalone: app.js keeps the state itself).
 *     mode "normal" | "review" | "browse" (cmi.mode): in review and browse nothing
 *     below writes, commits or sets an exit (a read-only session).
 *     notify(text) is called for every LMS failure (a non-blocking notice).
 *   saveState(suspendData, location)   cmi.suspend_data + cmi.location
 *   recordInteraction(n, q, response, result, latencyMs, date)
 *       q = QuestionScorm; result = "correct" | "incorrect" | "neutral" | number
 *   setStatus("incomplete" | "passed" | "failed")   never lowers a reported status
 *   setScore(scaled)                   cmi.score.scaled, .raw = round(100 x scaled), min 0, max 100
 *   setProgress(measure)               cmi.progress_measure (0-1, never lowered in a session,
 *                                      never below 1 once the LMS holds completed)
 *   setObjectives([{id, share}])       one cmi.objectives.n per track
 *   commit()                           session time + Commit (retried once)
 *   finish(timed)                      Terminate, once; exit is suspend from start() on, so
 *                                      the LMS hands the state back after Finish too;
 *                                      timed false = no session time (nothing was done)
 *   lastError() -> {code, text, call} | null
 *
 * ES5, no dependencies, never throws.
 */
(function (win) {
  "use strict";

  /** @type {"2004"} */
  var VERSION = "2004";
  var API_NAME = "API_1484_11";

  /* The version-independent part: runtime-common.js (see there). */
  var lms = win.PmkitLms.connect(win, API_NAME, {
    getLastError: "GetLastError", getErrorString: "GetErrorString",
    getValue: "GetValue", setValue: "SetValue"
  });
  var pad = win.PmkitLms.pad;
  var decimal = win.PmkitLms.decimal;
  var call = lms.call;
  var get = lms.get;
  var set = lms.set;

  var startedAt = 0;
  var completion = "unknown";
  var success = "unknown";
  var progress = 0;
  var progressSet = false;
  var savedState = null;
  var savedLocation = null;
  var objectiveIndex = {};
  var objectiveCount = 0;
  var exitSet = false;

  /* ---------------------------------------------------------------- formats */

  /* timeinterval (second, 10,2): ISO 8601 PT#H#M#S, at most two decimals */
  var duration = win.PmkitLms.duration;

  /* time (second, 10,0): YYYY-MM-DDThh:mm:ss, local time, no fraction or zone */
  function timestamp(date) {
    return pad(date.getFullYear(), 4) + "-" + pad(date.getMonth() + 1, 2) + "-" +
      pad(date.getDate(), 2) + "T" + pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) +
      ":" + pad(date.getSeconds(), 2);
  }

  /* ------------------------------------------------------------ the status */

  var COMPLETION_RANK = { "unknown": 0, "not attempted": 0, "incomplete": 1, "completed": 2 };
  var SUCCESS_RANK = { "unknown": 0, "failed": 1, "passed": 2 };

  function rank(table, status) {
    return Object.prototype.hasOwnProperty.call(table, status) ? table[status] : 0;
  }

  function normalized() {
    return { completion: rank(COMPLETION_RANK, completion) === 0 ? "unknown" : completion,
             success: rank(SUCCESS_RANK, success) === 0 ? "unknown" : success,
             lms: completion + "/" + success };
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
                   status: normalized(), score: null, progress: null, interactions: 0 };
      if (!lms.api) {
        return info;
      }
      if (!call("Initialize", [""])) {
        lms.api = null;
        return info;
      }
      lms.initialized = true;
      info.connected = true;
      /* Read first: in review and browse modes nothing may be written, not even the
       * exit below (docs/scorm-package.md, "Review and browse modes"). */
      info.mode = win.PmkitLms.mode(get("cmi.mode"));
      lms.recording = info.mode === "normal";
      info.entry = get("cmi.entry");
      completion = get("cmi.completion_status") || "unknown";
      success = get("cmi.success_status") || "unknown";
      info.status = normalized();
      if (completion === "completed") {
        /* A completed attempt stays at progress 1: a Retake must not report less. */
        progress = 1;
        progressSet = true;
      }
      /* Elements without a default raise 403 ("not lms.initialized") when read before
       * they were ever set. This package writes suspend_data in its first commit,
       * with the completion status, so it reads it only after such a session; the
       * location is not needed (the screen is in the state); the score only once
       * a success status was reported (they are written together). */
      var seen = info.entry === "resume" || rank(COMPLETION_RANK, completion) > 0 ||
        rank(SUCCESS_RANK, success) > 0;
      if (seen) {
        info.state = get("cmi.suspend_data");
      }
      if (rank(SUCCESS_RANK, success) > 0) {
        var scaled = parseFloat(get("cmi.score.scaled"));
        if (!isNaN(scaled)) {
          info.score = Math.max(0, Math.min(1, scaled));
        }
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
      /* suspend from the first moment, finished or not: Moodle and the Rustici engine
       * hand a 2004 attempt's data back only after suspend, and the results view after
       * Finish needs it (docs/scorm-package.md, "Leaving and coming back"). */
      exitSet = set("cmi.exit", "suspend");
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
          set("cmi.location", location)) {
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
        outcome = "incorrect";
      } else {
        outcome = result;
      }
      set(base + "id", q.interaction);
      set(base + "type", q.type);  /* before learner_response and correct_responses */
      set(base + "learner_response", response);
      if (q.graded && q.correct !== null && q.correct !== undefined) {
        set(base + "correct_responses.0.pattern", q.correct);
      }
      set(base + "result", outcome);
      set(base + "weighting", String(q.weighting));
      set(base + "timestamp", timestamp(when));
      set(base + "latency", duration(latencyMs));
      if (q.description) {
        set(base + "description", q.description);
      }
    },

    setStatus: function (status) {
      var wantCompletion = status === "incomplete" ? "incomplete" : "completed";
      if (rank(COMPLETION_RANK, wantCompletion) > rank(COMPLETION_RANK, completion)) {
        if (set("cmi.completion_status", wantCompletion)) {
          completion = wantCompletion;
        }
      }
      if ((status === "passed" || status === "failed") &&
          rank(SUCCESS_RANK, status) > rank(SUCCESS_RANK, success)) {
        if (set("cmi.success_status", status)) {
          success = status;
        }
      }
      return normalized();
    },

    setScore: function (scaled) {
      var s = Math.max(0, Math.min(1, scaled));
      set("cmi.score.min", "0");
      set("cmi.score.max", "100");
      set("cmi.score.raw", String(Math.round(100 * s)));
      set("cmi.score.scaled", decimal(s));
    },

    setProgress: function (measure) {
      var m = Math.max(0, Math.min(1, measure));
      if (progressSet ? m > progress : m >= progress) {
        if (set("cmi.progress_measure", decimal(m))) {
          progress = m;
          progressSet = true;
        }
      }
    },

    setObjectives: function (tracks) {
      for (var i = 0; i < tracks.length; i++) {
        var id = tracks[i].id;
        var n;
        var known = Object.prototype.hasOwnProperty.call(objectiveIndex, id);
        if (known) {
          n = objectiveIndex[id];
        } else {
          n = objectiveCount;
          objectiveCount += 1;
          objectiveIndex[id] = n;
        }
        var base = "cmi.objectives." + n + ".";
        var share = Math.max(0, Math.min(100, Math.round(tracks[i].share)));
        if (!known) {
          set(base + "id", id);  /* a 2004 objective id is set once */
        }
        set(base + "score.scaled", decimal(share / 100));
        set(base + "score.raw", String(share));
        set(base + "score.min", "0");
        set(base + "score.max", "100");
        set(base + "success_status", "unknown");
        set(base + "completion_status", "completed");
      }
    },

    commit: function () {
      if (!lms.api || !lms.initialized || lms.finished || !lms.recording) {
        return false;
      }
      set("cmi.session_time", duration(new Date().getTime() - startedAt));
      /* a failed commit is reported (a notice) and retried once */
      return call("Commit", [""]) || call("Commit", [""]);
    },

    finish: function (timed) {
      if (!lms.api || !lms.initialized || lms.finished) {
        return false;
      }
      if (lms.recording) {
        if (!exitSet) {
          exitSet = set("cmi.exit", "suspend");  /* start() could not: try again */
        }
        if (timed !== false) {
          runtime.commit();
        }
      }
      lms.finished = true;
      return call("Terminate", [""]);
    },

    lastError: function () {
      return lms.last;
    }
  };

  win.PmkitRuntime = runtime;
}(window));
