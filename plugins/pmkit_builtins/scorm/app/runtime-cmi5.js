/*
 * scorm-runtime.js for cmi5 (packaged from runtime-cmi5.js, after runtime-common.js).
 *
 * The AU side of cmi5 (the xAPI profile that replaces SCORM), behind the same
 * interface as runtime-12.js and runtime-2004.js, so app.js never needs to know
 * which one it runs with (docs/cmi5-package.md):
 *
 *   PmkitRuntime.start(notify, done)
 *     reads the launch parameters (endpoint, fetch, actor, registration, activityId),
 *     POSTs the fetch URL once for the auth token, GETs the LMS.LaunchData state
 *     document (launchMode, masteryScore, returnURL, moveOn, contextTemplate) and the
 *     app's own state document, sends "initialized", then calls done(info). Without
 *     launch parameters (the folder opened on its own) or when the LMS cannot be
 *     reached, done({connected: false}): the app keeps its state in the browser.
 *   saveState(state)                   the state document "pmkit-state" (State API)
 *   recordInteraction(n, q, response, result, latencyMs, date)
 *                                      an "answered" statement (cmi.interaction)
 *   setStatus / setScore / commit      "completed" once per registration; "passed" at
 *                                      most once per registration; "failed" at most once
 *                                      per session, held until the session ends (a pass
 *                                      later in the same session replaces it) and never
 *                                      after "passed"
 *   setObjectives([{id, share}])       one "scored" statement per track (the
 *                                      recommendation, a cmi5 allowed statement)
 *   finish(timed)                      "terminated" with the session's duration, sent with
 *                                      what is still queued as one keep-alive request
 *                                      that carries the Authorization header
 *
 * When LMS.LaunchData names a returnURL (http or https), a "Back to your learning
 * system" link to it goes into the page header: following it ends the session like
 * closing the page does (pagehide sends "terminated").
 *
 * Statements go out one request at a time, in order; a failing request shows a
 * notice and is retried with a growing delay. In Browse and Review launch modes
 * only "initialized" and "terminated" are sent and no state is written.
 *
 * ES5, no dependencies, never throws.
 */
(function (win) {
  "use strict";

  /** @type {"cmi5"} */
  var VERSION = "cmi5";
  var ADL = "http://adlnet.gov/expapi/verbs/";
  var CMI5 = "https://w3id.org/xapi/cmi5/context/";
  var CATEGORY_CMI5 = { id: CMI5 + "categories/cmi5" };
  var CATEGORY_MOVEON = { id: CMI5 + "categories/moveon" };
  var SESSION_ID = CMI5 + "extensions/sessionid";
  var MASTERY_SCORE = CMI5 + "extensions/masteryscore";
  var STATE_ID = "pmkit-state";
  var RETRY_MS = [1000, 2000, 4000, 8000, 16000, 30000];

  var pkg = /** @type {any} */ (win).PMKIT_PACKAGE || {};
  var X = pkg.cmi5 || { language: "en", definitions: {}, tracks: {} };
  var pad = win.PmkitLms.pad;

  var notify = function (text) { return text; };

  /* A fixed text of the app in the course's language (package data `strings`). */
  /** @param {string} key  @returns {string} */
  function fixedText(key) {
    var texts = pkg.strings || {};
    return Object.prototype.hasOwnProperty.call(texts, key) ? String(texts[key]) : key;
  }
  var launch = null;  /* {endpoint, fetch, actor, registration, activityId} */
  var token = "";
  var launchData = {};
  var recording = false;
  var connected = false;
  var finished = false;
  var startedAt = 0;
  var lastStamp = 0;
  /* what this registration already holds (kept in the state document) */
  var doc = { state: "", completed: false, passed: false, failed: false, score: null,
              interactions: 0 };
  var pendingStatus = null;
  var heldFailed = false;
  var verdictThisSession = false;
  var latestScore = null;
  var queue = [];
  var sending = false;
  var inFlight = 0;  /* statements of the request under way (the queue's head) */
  var failures = 0;
  var troubleShown = false;
  var stateDirty = false;
  var statePending = false;

  /* ---------------------------------------------------------------- formats */

  /* ISO 8601 duration, hundredths of a second at most (xAPI rounds to 0.01 s). */
  var duration = win.PmkitLms.duration;

  /* A UTC timestamp, strictly after the previous one: cmi5 orders by timestamp. */
  function stamp() {
    var t = Math.max(new Date().getTime(), lastStamp + 1);
    lastStamp = t;
    var d = new Date(t);
    return pad(d.getUTCFullYear(), 4) + "-" + pad(d.getUTCMonth() + 1, 2) + "-" +
      pad(d.getUTCDate(), 2) + "T" + pad(d.getUTCHours(), 2) + ":" + pad(d.getUTCMinutes(), 2) +
      ":" + pad(d.getUTCSeconds(), 2) + "." + pad(d.getUTCMilliseconds(), 3) + "Z";
  }

  function uuid() {
    var bytes = [];
    var k;
    var c = /** @type {any} */ (win).crypto;
    if (c && c.getRandomValues) {
      var buf = c.getRandomValues(new (/** @type {any} */ (win).Uint8Array)(16));
      for (k = 0; k < 16; k++) {
        bytes.push(buf[k]);
      }
    } else {
      for (k = 0; k < 16; k++) {
        bytes.push(Math.floor(Math.random() * 256));
      }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = "";
    for (k = 0; k < 16; k++) {
      hex += (bytes[k] < 16 ? "0" : "") + bytes[k].toString(16);
      if (k === 3 || k === 5 || k === 7 || k === 9) {
        hex += "-";
      }
    }
    return hex;
  }

  function lang(text) {
    var out = {};
    out[X.language || "en"] = text;
    return out;
  }

  /** @param {string} search  @returns {Object<string, string>} */
  function parameters(search) {
    /** @type {Object<string, string>} */
    var out = {};
    var parts = String(search || "").replace(/^\?/, "").split("&");
    for (var k = 0; k < parts.length; k++) {
      var eq = parts[k].indexOf("=");
      if (eq > 0) {
        try {
          out[decodeURIComponent(parts[k].slice(0, eq).replace(/\+/g, " "))] =
            decodeURIComponent(parts[k].slice(eq + 1).replace(/\+/g, " "));
        } catch (e) {
          /* a malformed parameter is ignored */
        }
      }
    }
    return out;
  }

  /* ------------------------------------------------------------ requests */

  function url(path, query) {
    var base = launch.endpoint.charAt(launch.endpoint.length - 1) === "/" ?
      launch.endpoint : launch.endpoint + "/";
    var q = [];
    for (var key in query) {
      if (Object.prototype.hasOwnProperty.call(query, key)) {
        q.push(encodeURIComponent(key) + "=" + encodeURIComponent(query[key]));
      }
    }
    return base + path + (q.length ? "?" + q.join("&") : "");
  }

  function stateQuery(stateId) {
    return { stateId: stateId, activityId: launch.activityId, agent: launch.actor,
             registration: launch.registration };
  }

  /* One asynchronous request; done(status, text) with status 0 on a network error. */
  function request(method, target, body, headers, done) {
    var xhr;
    try {
      xhr = new win.XMLHttpRequest();
      xhr.open(method, target, true);
      for (var h in headers) {
        if (Object.prototype.hasOwnProperty.call(headers, h)) {
          xhr.setRequestHeader(h, headers[h]);
        }
      }
      xhr.onreadystatechange = function () {
        if (xhr.readyState === 4) {
          done(xhr.status, xhr.responseText || "");
        }
      };
      xhr.send(body === null ? null : body);
    } catch (e) {
      done(0, "");
    }
  }

  function xapiHeaders(json) {
    var headers = { "Authorization": "Basic " + token, "X-Experience-API-Version": "1.0.3" };
    if (json) {
      headers["Content-Type"] = "application/json";
    }
    return headers;
  }

  function trouble(what) {
    if (!troubleShown) {
      troubleShown = true;
      try {
        notify(fixedText("app.cmi5.lrs_trouble").replace("{problem}", what));
      } catch (e) {
        /* the page's notifier failed: nothing else to do */
      }
    }
  }

  /* Send the queue's head; on success the next, on failure again after a delay. */
  function pump() {
    if (sending || !queue.length || finished) {
      return;
    }
    sending = true;
    var batch = queue.slice(0);
    inFlight = batch.length;
    request("POST", url("statements", {}), JSON.stringify(batch), xapiHeaders(true),
      function (status) {
        sending = false;
        inFlight = 0;
        /* 409: the LRS already holds these ids (an earlier try arrived) */
        if ((status >= 200 && status < 300) || status === 409) {
          queue.splice(0, batch.length);
          failures = 0;
          troubleShown = false;
          pump();
          return;
        }
        failures += 1;
        trouble(status ? "HTTP " + status : "no connection");
        win.setTimeout(pump, RETRY_MS[Math.min(failures, RETRY_MS.length) - 1]);
      });
  }

  function stateBody() {
    return JSON.stringify(doc);
  }

  function putState() {
    if (!recording || finished || !stateDirty || statePending) {
      return;
    }
    stateDirty = false;
    statePending = true;
    request("PUT", url("activities/state", stateQuery(STATE_ID)), stateBody(),
      xapiHeaders(true), function (status) {
        statePending = false;
        if (status < 200 || status >= 300) {
          stateDirty = true;
          failures += 1;
          trouble(status ? "HTTP " + status : "no connection");
          win.setTimeout(putState, RETRY_MS[Math.min(failures, RETRY_MS.length) - 1]);
        } else if (stateDirty) {
          putState();
        }
      });
  }

  /* ---------------------------------------------------------- statements */

  function context(defined, moveOn) {
    var template = launchData.contextTemplate || {};
    var ctx = JSON.parse(JSON.stringify(template));
    ctx.registration = launch.registration;
    ctx.extensions = ctx.extensions || {};
    if (!ctx.extensions[SESSION_ID]) {
      ctx.extensions[SESSION_ID] = launchData.sessionId || "";
    }
    ctx.contextActivities = ctx.contextActivities || {};
    if (defined) {
      var category = ctx.contextActivities.category || [];
      category.push(CATEGORY_CMI5);
      if (moveOn) {
        category.push(CATEGORY_MOVEON);
      }
      ctx.contextActivities.category = category;
    }
    return ctx;
  }

  function statement(verb, object, result, ctx) {
    var s = { id: uuid(), timestamp: stamp(), actor: launch.actorObject,
              verb: { id: ADL + verb, display: { "en-US": verb } },
              object: object, context: ctx };
    if (result) {
      s.result = result;
    }
    return s;
  }

  function au() {
    return { id: launch.activityId, objectType: "Activity" };
  }

  function queueDefined(verb, result, moveOn) {
    queue.push(statement(verb, au(), result, context(true, moveOn)));
  }

  function sinceStart() {
    return duration(new Date().getTime() - startedAt);
  }

  function scoreOf(scaled) {
    var s = Math.max(0, Math.min(1, scaled));
    return { scaled: Math.round(s * 10000) / 10000, raw: Math.round(100 * s), min: 0, max: 100 };
  }

  function verdictResult(success) {
    var result = { success: success, duration: sinceStart() };
    var score = latestScore !== null ? latestScore : doc.score;
    if (score !== null && score !== undefined) {
      result.score = scoreOf(score);
    }
    return result;
  }

  function verdictStatement(verb, success) {
    var s = statement(verb, au(), verdictResult(success), context(true, true));
    if (typeof launchData.masteryScore === "number") {
      s.context.extensions[MASTERY_SCORE] = launchData.masteryScore;
    }
    queue.push(s);
  }

  /* The pending status as statements (after an answer or a screen change). */
  function flush() {
    if (!recording || finished) {
      return;
    }
    if (pendingStatus && !doc.completed) {
      queueDefined("completed", { completion: true, duration: sinceStart() }, true);
      doc.completed = true;
      stateDirty = true;
    }
    if (pendingStatus === "passed" && !doc.passed && !verdictThisSession) {
      verdictStatement("passed", true);
      doc.passed = true;
      doc.failed = false;
      verdictThisSession = true;
      heldFailed = false;
      stateDirty = true;
    } else if (pendingStatus === "failed" && !doc.passed && !verdictThisSession) {
      /* held: cmi5 allows one of passed/failed per session, so a pass later in this
       * session must still be possible; sent when the session ends */
      heldFailed = true;
    }
    pendingStatus = null;
    if (latestScore !== null && (doc.score === null || latestScore > doc.score)) {
      doc.score = latestScore;
      stateDirty = true;
    }
    pump();
    putState();
  }

  function normalized() {
    return { completion: doc.completed ? "completed" : "unknown",
             success: doc.passed ? "passed" : (doc.failed || heldFailed ? "failed" : "unknown"),
             lms: (doc.completed ? "completed" : "unknown") + "/" +
               (doc.passed ? "passed" : (doc.failed ? "failed" : "unknown")) };
  }

  /* The LMS's way back (cmi5 returnURL): a plain link in the header, so leaving by it
   * is an ordinary page exit (the app's pagehide handler ends the session). Only
   * http(s) addresses: the launch data must not be able to run script here. */
  function returnLink(address) {
    var header = win.document.getElementById("header-tools");
    if (!header || !/^https?:\/\//i.test(String(address || ""))) {
      return;
    }
    var a = win.document.createElement("a");
    a.id = "cmi5-return";
    a.className = "button button-secondary button-small";
    a.href = String(address);
    a.textContent = fixedText("app.cmi5.return");
    header.appendChild(a);
  }

  /* ----------------------------------------------------------- start-up */

  function offline(done, info) {
    connected = false;
    done(info);
  }

  function begin(notifier, done) {
    if (typeof notifier === "function") {
      notify = notifier;
    }
    startedAt = new Date().getTime();
    /** @type {StartInfo} */
    var info = { connected: false, version: VERSION, mode: "normal", entry: "", state: "",
                 location: "", status: normalized(), score: null, progress: null,
                 interactions: 0 };
    var p = parameters(win.location.search);
    if (!p.endpoint || !p.fetch || !p.actor || !p.registration || !p.activityId) {
      offline(done, info);  /* opened on its own: standalone mode */
      return;
    }
    launch = { endpoint: p.endpoint, fetch: p.fetch, actor: p.actor,
               registration: p.registration, activityId: p.activityId, actorObject: null };
    try {
      launch.actorObject = JSON.parse(p.actor);
    } catch (e) {
      notify(fixedText("app.cmi5.bad_launch"));
      offline(done, info);
      return;
    }
    request("POST", p.fetch, null, {}, function (status, text) {
      var answer;
      try {
        answer = JSON.parse(text);
      } catch (e) {
        answer = null;
      }
      if (status !== 200 || !answer || !answer["auth-token"]) {
        var why = answer && answer["error-text"] ? answer["error-text"] : "HTTP " + status;
        notify(fixedText("app.cmi5.refused").replace("{reason}", why));
        offline(done, info);
        return;
      }
      token = answer["auth-token"];
      request("GET", url("activities/state", stateQuery("LMS.LaunchData")), null,
        xapiHeaders(false), function (lstatus, ltext) {
          try {
            launchData = lstatus === 200 ? JSON.parse(ltext) : {};
          } catch (e) {
            launchData = {};
          }
          request("GET", url("activities/state", stateQuery(STATE_ID)), null,
            xapiHeaders(false), function (sstatus, stext) {
              if (sstatus === 200) {
                try {
                  var saved = JSON.parse(stext);
                  for (var key in doc) {
                    if (Object.prototype.hasOwnProperty.call(saved, key)) {
                      doc[key] = saved[key];
                    }
                  }
                } catch (e) {
                  /* an unreadable document: start afresh (the app says so) */
                }
              }
              connected = true;
              var mode = String(launchData.launchMode || "Normal");
              info.mode = mode === "Browse" ? "browse" : (mode === "Review" ? "review" :
                                                         "normal");
              recording = info.mode === "normal";
              info.connected = true;
              info.entry = doc.state ? "resume" : "ab-initio";
              info.state = doc.state || "";
              info.status = normalized();
              info.score = doc.score;
              info.interactions = doc.interactions || 0;
              if (typeof launchData.masteryScore === "number") {
                info.mastery = Math.round(launchData.masteryScore * 10000) / 100;
              }
              returnLink(launchData.returnURL);
              /* the first statement of every session, in every launch mode */
              queue.push(statement("initialized", au(), null, context(true, false)));
              pump();
              done(info);
            });
        });
    });
  }

  /* --------------------------------------------------------------- the API */

  /** @type {PmkitRuntimeApi} */
  var runtime = {
    version: VERSION,

    start: function (notifier, done) {
      var called = false;
      begin(notifier, function (info) {
        if (!called && typeof done === "function") {
          called = true;
          done(info);
        }
      });
    },

    connected: function () {
      return connected && !finished;
    },

    saveState: function (suspendData) {
      if (!recording || finished || suspendData === doc.state) {
        return;
      }
      doc.state = suspendData;
      stateDirty = true;
      putState();
    },

    recordInteraction: function (n, q, response, result, latencyMs) {
      if (!recording || finished) {
        return;
      }
      var definition = X.definitions[q.interaction];
      var object = { id: launch.activityId + "/interactions/" +
                       encodeURIComponent(q.interaction),
                     objectType: "Activity" };
      if (definition) {
        object.definition = definition;
      }
      var res = { response: response, duration: duration(latencyMs) };
      if (result === "correct") {
        res.success = true;
      } else if (result === "incorrect" || result === "wrong") {
        res.success = false;
      } else if (typeof result === "number") {
        res.success = false;
        res.score = { scaled: Math.round(Math.max(0, Math.min(1, result)) * 10000) / 10000 };
      }
      var ctx = context(false, false);
      ctx.contextActivities.parent = [au()];
      queue.push(statement("answered", object, res, ctx));
      doc.interactions = Math.max(doc.interactions, n + 1);
    },

    setStatus: function (status) {
      if (status === "passed" || status === "failed") {
        pendingStatus = status;
        if (status === "passed" && !doc.passed) {
          heldFailed = false;
          return { completion: "completed", success: "passed" };
        }
      }
      return normalized();
    },

    setScore: function (scaled) {
      latestScore = Math.max(0, Math.min(1, scaled));
    },

    setProgress: function () {
      /* completion is the "completed" statement; nothing else is sent for progress */
    },

    setObjectives: function (tracks) {
      if (!recording || finished) {
        return;
      }
      for (var i = 0; i < tracks.length; i++) {
        var share = Math.max(0, Math.min(100, Math.round(tracks[i].share)));
        var ctx = context(false, false);
        ctx.contextActivities.parent = [au()];
        queue.push(statement("scored", {
          id: launch.activityId + "/tracks/" + encodeURIComponent(tracks[i].id),
          objectType: "Activity",
          definition: { type: "http://adlnet.gov/expapi/activities/objective",
                        name: lang(X.tracks[tracks[i].id] || tracks[i].id) }
        }, { score: { scaled: share / 100, raw: share, min: 0, max: 100 } }, ctx));
      }
    },

    commit: function () {
      if (!connected || finished || !recording) {
        return false;
      }
      flush();
      return true;
    },

    finish: function (timed) {
      if (!connected || finished) {
        return false;
      }
      if (recording) {
        flush();
        if (heldFailed && !verdictThisSession && !doc.passed) {
          verdictStatement("failed", false);
          doc.failed = true;
          stateDirty = true;
          verdictThisSession = true;
        }
      }
      queue.push(statement("terminated", au(), { duration: timed === false ? "PT0S" :
                                                  sinceStart() }, context(true, false)));
      /* One keep-alive request for what is still queued (an answer in flight is
       * already on its way): a plain XHR is cancelled when the page goes, and
       * navigator.sendBeacon cannot carry the Authorization header. */
      var batch = queue.slice(sending ? inFlight : 0);
      finished = true;
      var body = JSON.stringify(batch);
      var headers = xapiHeaders(true);
      var f = /** @type {any} */ (win).fetch;
      try {
        /* the state too: a PUT under way may be cancelled with the page (same body:
         * sending it twice is harmless) */
        if (recording && (stateDirty || statePending)) {
          f(url("activities/state", stateQuery(STATE_ID)),
            { method: "PUT", body: stateBody(), headers: headers, keepalive: true });
        }
        f(url("statements", {}), { method: "POST", body: body, headers: headers,
                                     keepalive: true });
      } catch (e) {
        /* no fetch: the page is going, nothing else can be done */
      }
      return true;
    },

    lastError: function () {
      return null;
    }
  };

  win.PmkitRuntime = runtime;
}(window));
