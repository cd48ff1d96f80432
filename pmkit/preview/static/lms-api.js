/*
 * The LMS side of the SCORM API, as pmkit preview plays it: SCORM 1.2 (window.API)
 * and SCORM 2004 4th Edition (window.API_1484_11), written plainly, with no third-party
 * runtime. It is strict where LMSs are strict, so an author sees in the preview what an
 * LMS would refuse: element names valid for the version, read-only and write-only
 * elements, the vocabularies (status, exit, interaction type and result), data types
 * and ranges, array indexes in order, SCORM 1.2's 4,096-character suspend_data and
 * 255-character location, 2004's dependencies (an interaction's id before its other
 * fields, its type before a response). The test suite drives the same calls through
 * this and scorm-again and compares results and error codes (tests/test_preview.py).
 *
 * PmkitPreviewLms.create(version, initial, listener) -> api
 *   version   "1.2" | "2004"
 *   initial   {element: value} set before the session (e.g. {"cmi.core.entry": "resume"})
 *   listener  function (entry) called after every API call:
 *             {seq, method, args, result, error, errorText}
 *   api.values()  a copy of every stored element (write-only ones included)
 *
 * ES5, no dependencies.
 */
(function (win) {
  "use strict";

  var RX = {
    decimal: /^-?[0-9]{1,10}(\.[0-9]{1,10})?$/,
    timespan12: /^[0-9]{2,4}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,2})?$/,
    time12: /^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,2})?$/,
    identifier12: /^[\u0021-\u007E]{1,255}$/,
    duration: /^P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]{1,2})?S)?)?$/,
    timestamp: /^[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}(:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,2})?)?)?(Z|[+-][0-9]{2}(:[0-9]{2})?)?)?)?)?$/,
    longId: /^[^\s]{1,4000}$/
  };

  function vocab(words) {
    return function (v) { return words.indexOf(v) >= 0 ? 0 : "type"; };
  }
  function string(max) {
    return function (v) { return v.length <= max ? 0 : "type"; };
  }
  function pattern(rx) {
    return function (v) { return rx.test(v) ? 0 : "type"; };
  }
  function number(lo, hi, blank) {
    return function (v) {
      if (blank && v === "") { return 0; }
      if (!RX.decimal.test(v)) { return "type"; }
      var n = parseFloat(v);
      return (lo !== null && n < lo) || (hi !== null && n > hi) ? "range" : 0;
    };
  }
  function integer(lo, hi) {
    return function (v) {
      if (!/^-?[0-9]+$/.test(v)) { return "type"; }
      var n = parseInt(v, 10);
      return n < lo || n > hi ? "range" : 0;
    };
  }
  function resultOf(words) {
    return function (v) {
      if (words.indexOf(v) >= 0) { return 0; }
      return RX.decimal.test(v) ? 0 : "type";
    };
  }

  /* A response to an interaction of `type` (1.2: single characters 0-9 a-z). */
  function response12(type, v) {
    var one = "[0-9a-z]";
    var list = new RegExp("^(" + one + "(," + one + ")*|\\{" + one + "(," + one + ")*\\})$");
    switch (type) {
      case "true-false": return /^[01tf]$/.test(v) ? 0 : "type";
      case "choice": return v === "" || list.test(v) ? 0 : "type";
      case "sequencing": return list.test(v) ? 0 : "type";
      case "matching":
        return new RegExp("^" + one + "\\." + one + "(," + one + "\\." + one + ")*$").test(v)
          ? 0 : "type";
      case "numeric": return RX.decimal.test(v) ? 0 : "type";
      case "likert": return /^[0-9a-z]?$/.test(v) ? 0 : "type";
      default: return v.length <= 255 ? 0 : "type";
    }
  }

  /* A response to an interaction of `type` (2004: short identifiers, [,] and [.]). */
  function response2004(type, v) {
    var id = "[^\\s\\[\\],]{1,250}";
    switch (type) {
      case "true-false": return /^(true|false)$/.test(v) ? 0 : "type";
      case "choice":
        return v === "" || new RegExp("^" + id + "(\\[,\\]" + id + ")*$").test(v) ? 0 : "type";
      case "sequencing":
        return new RegExp("^" + id + "(\\[,\\]" + id + ")*$").test(v) ? 0 : "type";
      case "matching":
        return new RegExp("^" + id + "\\[\\.\\]" + id + "(\\[,\\]" + id + "\\[\\.\\]" + id +
                          ")*$").test(v) ? 0 : "type";
      case "numeric": return RX.decimal.test(v) ? 0 : "type";
      case "likert": return new RegExp("^(" + id + ")?$").test(v) ? 0 : "type";
      default: return v.length <= 4000 ? 0 : "type";
    }
  }

  var STATUS12 = ["passed", "completed", "failed", "incomplete", "browsed"];

  /* Element table: name with "n" for an index -> [access, check, default]. */
  var MODEL = {
    "1.2": {
      "cmi._version": ["r", null, "3.4"],
      "cmi.core._children": ["r", null, "student_id,student_name,lesson_location,credit," +
                             "lesson_status,entry,score,total_time,lesson_mode,exit,session_time"],
      "cmi.core.student_id": ["r", null, ""],
      "cmi.core.student_name": ["r", null, ""],
      "cmi.core.lesson_location": ["rw", string(255), ""],
      "cmi.core.credit": ["r", null, ""],
      "cmi.core.lesson_status": ["rw", vocab(STATUS12), "not attempted"],
      "cmi.core.entry": ["r", null, ""],
      "cmi.core.score._children": ["r", null, "raw,min,max"],
      "cmi.core.score.raw": ["rw", number(0, 100, true), ""],
      "cmi.core.score.min": ["rw", number(0, 100, true), ""],
      "cmi.core.score.max": ["rw", number(0, 100, true), ""],
      "cmi.core.total_time": ["r", null, ""],
      "cmi.core.lesson_mode": ["r", null, "normal"],
      "cmi.core.exit": ["w", vocab(["time-out", "suspend", "logout", ""]), ""],
      "cmi.core.session_time": ["w", pattern(RX.timespan12), ""],
      "cmi.suspend_data": ["rw", string(4096), ""],
      "cmi.launch_data": ["r", null, ""],
      "cmi.comments": ["rw", string(4096), ""],
      "cmi.comments_from_lms": ["r", null, ""],
      "cmi.objectives._children": ["r", null, "id,score,status"],
      "cmi.objectives._count": ["r", null, null],
      "cmi.objectives.n.id": ["rw", pattern(RX.identifier12), ""],
      "cmi.objectives.n.score._children": ["r", null, "raw,min,max"],
      "cmi.objectives.n.score.raw": ["rw", number(0, 100, true), ""],
      "cmi.objectives.n.score.min": ["rw", number(0, 100, true), ""],
      "cmi.objectives.n.score.max": ["rw", number(0, 100, true), ""],
      "cmi.objectives.n.status": ["rw", vocab(STATUS12.concat(["not attempted"])), ""],
      "cmi.student_data._children": ["r", null, "mastery_score,max_time_allowed,time_limit_action"],
      "cmi.student_data.mastery_score": ["r", null, ""],
      "cmi.student_data.max_time_allowed": ["r", null, ""],
      "cmi.student_data.time_limit_action": ["r", null, ""],
      "cmi.student_preference._children": ["r", null, "audio,language,speed,text"],
      "cmi.student_preference.audio": ["rw", integer(-1, 100), ""],
      "cmi.student_preference.language": ["rw", string(255), ""],
      "cmi.student_preference.speed": ["rw", integer(-100, 100), ""],
      "cmi.student_preference.text": ["rw", integer(-1, 1), ""],
      "cmi.interactions._children": ["r", null, "id,objectives,time,type,correct_responses," +
                                     "weighting,student_response,result,latency"],
      "cmi.interactions._count": ["r", null, null],
      "cmi.interactions.n.id": ["w", pattern(RX.identifier12), ""],
      "cmi.interactions.n.objectives._count": ["r", null, null],
      "cmi.interactions.n.objectives.n.id": ["w", pattern(RX.identifier12), ""],
      "cmi.interactions.n.time": ["w", pattern(RX.time12), ""],
      "cmi.interactions.n.type": ["w", vocab(["true-false", "choice", "fill-in", "matching",
                                              "performance", "sequencing", "likert",
                                              "numeric"]), ""],
      "cmi.interactions.n.correct_responses._count": ["r", null, null],
      "cmi.interactions.n.correct_responses.n.pattern": ["w", "response", ""],
      "cmi.interactions.n.weighting": ["w", number(null, null, false), ""],
      "cmi.interactions.n.student_response": ["w", "response", ""],
      "cmi.interactions.n.result": ["w", resultOf(["correct", "wrong", "unanticipated",
                                                   "neutral"]), ""],
      "cmi.interactions.n.latency": ["w", pattern(RX.timespan12), ""]
    },
    "2004": {
      "cmi._version": ["r", null, "1.0"],
      "cmi.comments_from_learner._children": ["r", null, "comment,location,timestamp"],
      "cmi.comments_from_learner._count": ["r", null, null],
      "cmi.comments_from_learner.n.comment": ["rw", string(4000), undefined],
      "cmi.comments_from_learner.n.location": ["rw", string(250), undefined],
      "cmi.comments_from_learner.n.timestamp": ["rw", pattern(RX.timestamp), undefined],
      "cmi.comments_from_lms._children": ["r", null, "comment,location,timestamp"],
      "cmi.comments_from_lms._count": ["r", null, null],
      "cmi.completion_status": ["rw", vocab(["completed", "incomplete", "not attempted",
                                             "unknown"]), "unknown"],
      "cmi.completion_threshold": ["r", null, undefined],
      "cmi.credit": ["r", null, "credit"],
      "cmi.entry": ["r", null, ""],
      "cmi.exit": ["w", vocab(["time-out", "suspend", "logout", "normal", ""]), ""],
      "cmi.interactions._children": ["r", null, "id,type,objectives,timestamp," +
                                     "correct_responses,weighting,learner_response,result," +
                                     "latency,description"],
      "cmi.interactions._count": ["r", null, null],
      "cmi.interactions.n.id": ["rw", pattern(RX.longId), undefined],
      "cmi.interactions.n.type": ["rw", vocab(["true-false", "choice", "fill-in",
                                               "long-fill-in", "likert", "matching",
                                               "performance", "sequencing", "numeric",
                                               "other"]), undefined],
      "cmi.interactions.n.objectives._count": ["r", null, null],
      "cmi.interactions.n.objectives.n.id": ["rw", pattern(RX.longId), undefined],
      "cmi.interactions.n.timestamp": ["rw", pattern(RX.timestamp), undefined],
      "cmi.interactions.n.correct_responses._count": ["r", null, null],
      "cmi.interactions.n.correct_responses.n.pattern": ["rw", "response", undefined],
      "cmi.interactions.n.weighting": ["rw", number(null, null, false), undefined],
      "cmi.interactions.n.learner_response": ["rw", "response", undefined],
      "cmi.interactions.n.result": ["rw", resultOf(["correct", "incorrect", "unanticipated",
                                                    "neutral"]), undefined],
      "cmi.interactions.n.latency": ["rw", pattern(RX.duration), undefined],
      "cmi.interactions.n.description": ["rw", string(250), undefined],
      "cmi.launch_data": ["r", null, ""],
      "cmi.learner_id": ["r", null, ""],
      "cmi.learner_name": ["r", null, ""],
      "cmi.learner_preference._children": ["r", null, "audio_level,language,delivery_speed," +
                                           "audio_captioning"],
      "cmi.learner_preference.audio_level": ["rw", number(0, null, false), "1"],
      "cmi.learner_preference.language": ["rw", string(250), ""],
      "cmi.learner_preference.delivery_speed": ["rw", number(0, null, false), "1"],
      "cmi.learner_preference.audio_captioning": ["rw", vocab(["-1", "0", "1"]), "0"],
      "cmi.location": ["rw", string(1000), undefined],
      "cmi.max_time_allowed": ["r", null, undefined],
      "cmi.mode": ["r", null, "normal"],
      "cmi.objectives._children": ["r", null, "id,score,success_status,completion_status," +
                                   "progress_measure,description"],
      "cmi.objectives._count": ["r", null, null],
      "cmi.objectives.n.id": ["rw", pattern(RX.longId), undefined],
      "cmi.objectives.n.score._children": ["r", null, "scaled,raw,min,max"],
      "cmi.objectives.n.score.scaled": ["rw", number(-1, 1, false), undefined],
      "cmi.objectives.n.score.raw": ["rw", number(null, null, false), undefined],
      "cmi.objectives.n.score.min": ["rw", number(null, null, false), undefined],
      "cmi.objectives.n.score.max": ["rw", number(null, null, false), undefined],
      "cmi.objectives.n.success_status": ["rw", vocab(["passed", "failed", "unknown"]),
                                          "unknown"],
      "cmi.objectives.n.completion_status": ["rw", vocab(["completed", "incomplete",
                                                          "not attempted", "unknown"]),
                                             "unknown"],
      "cmi.objectives.n.progress_measure": ["rw", number(0, 1, false), undefined],
      "cmi.objectives.n.description": ["rw", string(250), undefined],
      "cmi.progress_measure": ["rw", number(0, 1, false), undefined],
      "cmi.scaled_passing_score": ["r", null, undefined],
      "cmi.score._children": ["r", null, "scaled,raw,min,max"],
      "cmi.score.scaled": ["rw", number(-1, 1, false), undefined],
      "cmi.score.raw": ["rw", number(null, null, false), undefined],
      "cmi.score.min": ["rw", number(null, null, false), undefined],
      "cmi.score.max": ["rw", number(null, null, false), undefined],
      "cmi.session_time": ["w", pattern(RX.duration), undefined],
      "cmi.success_status": ["rw", vocab(["passed", "failed", "unknown"]), "unknown"],
      "cmi.suspend_data": ["rw", string(64000), undefined],
      "cmi.time_limit_action": ["r", null, "continue,no message"],
      "cmi.total_time": ["r", null, "PT0S"]
    }
  };

  var TEXT = {
    "1.2": {
      "0": "No error", "101": "General exception", "201": "Invalid argument error",
      "202": "Element cannot have children", "203": "Element not an array - cannot have count",
      "301": "Not initialized", "401": "Not implemented error",
      "402": "Invalid set value, element is a keyword", "403": "Element is read only",
      "404": "Element is write only", "405": "Incorrect data type"
    },
    "2004": {
      "0": "No error", "101": "General exception", "102": "General initialization failure",
      "103": "Already initialized", "104": "Content instance terminated",
      "111": "General termination failure", "112": "Termination before initialization",
      "113": "Termination after termination", "122": "Retrieve data before initialization",
      "123": "Retrieve data after termination", "132": "Store data before initialization",
      "133": "Store data after termination", "142": "Commit before initialization",
      "143": "Commit after termination", "201": "General argument error",
      "301": "General get failure", "351": "General set failure",
      "391": "General commit failure", "401": "Undefined data model element",
      "402": "Unimplemented data model element", "403": "Data model element value not initialized",
      "404": "Data model element is read only", "405": "Data model element is write only",
      "406": "Data model element type mismatch", "407": "Data model element value out of range",
      "408": "Data model dependency not established"
    }
  };

  var NAMES = {
    "1.2": ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
            "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"],
    "2004": ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError",
             "GetErrorString", "GetDiagnostic"]
  };

  /* The error codes each situation gives, per version. */
  var CODES = {
    "1.2": {
      initAgain: "101", initAfter: "101", finishBefore: "301", finishAfter: "101",
      getBefore: "301", getAfter: "101", setBefore: "301", setAfter: "101",
      commitBefore: "301", commitAfter: "101", argument: "201", getEmpty: "401",
      setEmpty: "401", undefined: "401", readOnly: "403", writeOnly: "404", keyword: "402",
      type: "405", range: "405", notInitialized: null, noChildren: "202", noCount: "203",
      index: "201", dependency: "201"
    },
    "2004": {
      initAgain: "103", initAfter: "104", finishBefore: "112", finishAfter: "113",
      getBefore: "122", getAfter: "123", setBefore: "132", setAfter: "133",
      commitBefore: "142", commitAfter: "143", argument: "201", getEmpty: "301",
      setEmpty: "351", undefined: "401", readOnly: "404", writeOnly: "405", keyword: "404",
      type: "406", range: "407", notInitialized: "403", noChildren: "301", noCount: "301",
      index: "351", dependency: "408"
    }
  };

  function create(version, initial, listener) {
    var model = MODEL[version];
    var codes = CODES[version];
    if (!model) { throw new Error("unknown SCORM version " + version); }
    var values = {};
    var state = "new";  /* new -> running -> done */
    var lastError = "0";
    var diagnostic = "";
    var seq = 0;
    var api = {};

    Object.keys(initial || {}).forEach(function (key) { values[key] = String(initial[key]); });

    /* "cmi.interactions.3.id" -> {spec, key: "cmi.interactions.n.id", indexes: [3]} */
    function parse(element) {
      var indexes = [];
      var key = element.replace(/\.([0-9]+)(?=\.)/g, function (all, n) {
        indexes.push(n);
        return ".n";
      });
      return { key: key, indexes: indexes, spec: model[key] };
    }

    function count(base) {
      var prefix = base + ".";
      var seen = 0;
      while (Object.prototype.hasOwnProperty.call(values, prefix + seen + ".id") ||
             hasAny(prefix + seen + ".")) {
        seen += 1;
      }
      return seen;
    }

    function hasAny(prefix) {
      for (var key in values) {
        if (Object.prototype.hasOwnProperty.call(values, key) && key.indexOf(prefix) === 0) {
          return true;
        }
      }
      return false;
    }

    function isGroup(prefix) {
      var p = parse(prefix + ".x").key.slice(0, -1);
      return Object.keys(model).some(function (k) { return k.indexOf(p) === 0; });
    }

    function isArray(key) {
      return model[key + ".n.id"] !== undefined || model[key + ".n.pattern"] !== undefined ||
             model[key + ".n.comment"] !== undefined ||
             model[key + "._count"] !== undefined;
    }

    function fail(code, why) {
      lastError = code;
      diagnostic = why || "";
      return false;
    }

    function get(element) {
      if (state === "new") { fail(codes.getBefore); return ""; }
      if (state === "done") { fail(codes.getAfter); return ""; }
      if (element === "") { fail(codes.getEmpty, "no element named"); return ""; }
      var p = parse(element);
      var parts = element.split(".");
      var last = parts[parts.length - 1];
      var base = parts.slice(0, -1).join(".");
      if (last === "_count") {
        if (p.spec) {
          lastError = "0";
          return String(count(base));
        }
        fail(parse(base).spec || isGroup(base) ? codes.noCount : codes.undefined, element);
        return "";
      }
      if (last === "_children" && !p.spec) {
        fail(parse(base).spec ? codes.noChildren : codes.undefined, element);
        return "";
      }
      if (!p.spec) { fail(codes.undefined, element); return ""; }
      if (p.spec[0] === "w") { fail(codes.writeOnly, element); return ""; }
      if (p.indexes.length && !indexExists(element)) {
        fail(version === "1.2" ? codes.index : "301", element);
        return "";
      }
      if (Object.prototype.hasOwnProperty.call(values, element)) {
        lastError = "0";
        return values[element];
      }
      var fallback = p.spec[2];
      if (fallback === undefined) {
        fail(codes.notInitialized, element);
        return "";
      }
      lastError = "0";
      return fallback === null ? "" : fallback;
    }

    function indexExists(element) {
      var parts = element.split(".");
      for (var i = 0; i < parts.length; i++) {
        if (/^[0-9]+$/.test(parts[i])) {
          var base = parts.slice(0, i).join(".");
          if (Number(parts[i]) >= count(base)) { return false; }
        }
      }
      return true;
    }

    function set(element, value) {
      if (state === "new") { return fail(codes.setBefore); }
      if (state === "done") { return fail(codes.setAfter); }
      if (element === "") { return fail(codes.setEmpty, "no element named"); }
      var p = parse(element);
      var last = element.split(".").pop();
      if (last === "_children" || last === "_count" || last === "_version") {
        return fail(p.spec || last !== "_version" ? codes.keyword : codes.undefined, element);
      }
      if (!p.spec) { return fail(codes.undefined, element); }
      if (p.spec[0] === "r") { return fail(codes.readOnly, element); }
      var text = String(value);
      /* Arrays grow one at a time: index n may be at most the current count. */
      var parts = element.split(".");
      for (var i = 0; i < parts.length; i++) {
        if (/^[0-9]+$/.test(parts[i])) {
          var base = parts.slice(0, i).join(".");
          if (Number(parts[i]) > count(base)) {
            return fail(codes.index, "index " + parts[i] + " skips past _count of " + base);
          }
          var itemPrefix = parts.slice(0, i + 1).join(".");
          var field = parts.slice(i + 1).join(".");
          if (version === "2004" && field !== "id" &&
              (base === "cmi.interactions" || base === "cmi.objectives") &&
              !Object.prototype.hasOwnProperty.call(values, itemPrefix + ".id")) {
            return fail(codes.dependency, itemPrefix + ".id must be set first");
          }
        }
      }
      var check = p.spec[1];
      var problem;
      if (check === "response") {
        var owner = element.replace(/\.(correct_responses\.[0-9]+\.pattern|student_response|learner_response)$/, "");
        var type = values[owner + ".type"];
        if (version === "2004" && type === undefined) {
          return fail(codes.dependency, owner + ".type must be set first");
        }
        problem = (version === "1.2" ? response12 : response2004)(type, text);
      } else {
        problem = check ? check(text) : 0;
      }
      if (problem) { return fail(codes[problem], element + " = " + text); }
      values[element] = text;
      lastError = "0";
      return true;
    }

    function session(name, arg, before, after, next) {
      if (arg !== "") { return fail(codes.argument, name + " takes \"\""); }
      if (state === "new" && before) { return fail(before); }
      if (state === "done") { return fail(after); }
      if (next) { state = next; }
      lastError = "0";
      return true;
    }

    var impl = {
      init: function (arg) {
        if (state === "running") { return fail(codes.initAgain); }
        if (state === "done") { return fail(codes.initAfter); }
        return session("Initialize", arg, null, codes.initAfter, "running");
      },
      finish: function (arg) {
        return session("Terminate", arg, codes.finishBefore, codes.finishAfter, "done");
      },
      commit: function (arg) {
        return session("Commit", arg, codes.commitBefore, codes.commitAfter, null);
      }
    };

    function record(method, args, result) {
      var entry = { seq: seq, method: method, args: args, result: result, error: lastError,
                    errorText: TEXT[version][lastError] || "" };
      seq += 1;
      if (listener) {
        try { listener(entry); } catch (e) { /* the panel's problem, not the course's */ }
      }
      return result;
    }

    function bool(ok) { return ok ? "true" : "false"; }
    function arg0(args) { return args.length ? String(args[0]) : ""; }

    var n = NAMES[version];
    api[n[0]] = function (a) { var x = arguments; return record(n[0], [arg0(x)], bool(impl.init(arg0(x)))); };
    api[n[1]] = function (a) { var x = arguments; return record(n[1], [arg0(x)], bool(impl.finish(arg0(x)))); };
    api[n[2]] = function (e) { var k = arg0(arguments); return record(n[2], [k], get(k)); };
    api[n[3]] = function (e, v) {
      var k = arg0(arguments);
      var value = arguments.length > 1 ? String(v) : "";
      return record(n[3], [k, value], bool(set(k, value)));
    };
    api[n[4]] = function (a) { var x = arguments; return record(n[4], [arg0(x)], bool(impl.commit(arg0(x)))); };
    api[n[5]] = function () { return lastError; };
    api[n[6]] = function (code) { return TEXT[version][String(code)] || ""; };
    api[n[7]] = function (code) {
      return code === undefined || code === "" || String(code) === lastError ? diagnostic
        : (TEXT[version][String(code)] || "");
    };
    api.values = function () {
      var copy = {};
      Object.keys(values).sort().forEach(function (k) { copy[k] = values[k]; });
      return copy;
    };
    api.version = version;
    return api;
  }

  win.PmkitPreviewLms = { create: create, names: NAMES };
})(window);
