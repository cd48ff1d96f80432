/*
 * app-codec.js - the learner's state and its text form, the "p3" format of
 * cmi.suspend_data (docs/scorm-package.md, "The state"). Pure functions of the
 * course: no DOM, no LMS, so tests/js/ checks them under Node. "p2" (two-digit
 * screen, no knowledge-check screen) and "p1" (the first edition, before
 * knowledge-check attempts) states are still read.
 *
 * A state is {screen, page, flags, interactions, answers, attempts, best, marks},
 * answers in the scorers' format (docs/content-format.md, "Answers").
 */

/**
 * @typedef {Object} AppState
 * @property {number} screen         index into PmkitCourse.SCREENS
 * @property {number} page           the knowledge-check screen (0 to kcPages - 1) while
 *     `screen` is the knowledge check; 0 otherwise
 * @property {number} flags          FLAGS bits
 * @property {number} interactions   interactions recorded so far (cmi.interactions.n)
 * @property {Object<string, *>} answers   question id -> answer
 * @property {number} attempts       knowledge-check attempts submitted
 * @property {number} best           the best submitted attempt's whole percent, -1 for none
 * @property {Object<string, string>} marks   knowledge-check question id -> "c" (checked:
 *     its feedback shown, the answer locked) or "s" (skipped); absent: neither
 */

/* global PmkitCourse */
/* exported PmkitCodec */
var PmkitCodec = (function (C) {
  "use strict";

  var BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
  /* The screen number counts each knowledge-check screen as a screen of its own:
   * welcome is 0, the check's screens follow one another, finish is the last. Its
   * width follows the course (a "|" ends it), so no course has too many screens. */
  var KC = C.SCREEN["knowledge-check"];
  var MAX_SCREEN_NUMBER = C.SCREENS.length - 1 + C.kcPages - 1;
  var MAX_COUNT = 36 * 36 * 36 * 36 - 1; /* and 4 for the interaction count */
  var MAX_ATTEMPTS = 36 * 36 - 1;        /* 2 for the attempts (the limit is at most 99) */
  var FLAGS = { SUBMITTED: 1, FINISHED: 2, PASSED: 4, FAILED: 8 };

  var hasOwn = C.hasOwn;
  var indexOfId = C.indexOfId;
  var sdQuestions = C.sdQuestions;
  var nodes = C.nodes;
  var kcQuestions = C.kcQuestions;

  /** @returns {AppState} */
  function freshState() {
    return { screen: 0, page: 0, flags: 0, interactions: 0, answers: {}, attempts: 0,
             best: -1, marks: {} };
  }

  /** @param {number} n */
  function b36(n) {
    return Math.max(0, Math.floor(n)).toString(36);
  }

  /* The screen number of a state: its screen, and its page on the knowledge check. */
  /** @param {AppState} s */
  function screenNumber(s) {
    var screen = Math.max(0, Math.min(Math.floor(s.screen || 0), C.SCREENS.length - 1));
    if (screen < KC) {
      return screen;
    }
    if (screen > KC) {
      return screen + C.kcPages - 1;
    }
    return KC + Math.max(0, Math.min(Math.floor(s.page || 0), C.kcPages - 1));
  }

  /** @param {AppState} s  @param {number} n  a screen number (a screen and its page) */
  function setScreenNumber(s, n) {
    if (n < KC) {
      s.screen = n;
    } else if (n < KC + C.kcPages) {
      s.screen = KC;
      s.page = n - KC;
    } else {
      s.screen = n - C.kcPages + 1;
    }
  }

  /** @param {number} index */
  function ch(index) {
    return index >= 0 && index < BASE36.length ? BASE36.charAt(index) : "";
  }

  /** @param {KcQuestion} q  @param {*} answer */
  function encodeKnowledge(q, answer) {
    if (answer === undefined || answer === null) {
      return "";
    }
    var k, out, idx;
    if (q.type === "single") {
      return ch(indexOfId(q.options, answer));
    }
    if (q.type === "true-false") {
      return answer === true ? "t" : (answer === false ? "f" : "");
    }
    if (q.type === "multiple") {
      out = "";
      for (k = 0; k < q.options.length; k++) {
        if (answer.indexOf(q.options[k].id) >= 0) {
          out += ch(k);
        }
      }
      return out;
    }
    if (q.type === "matching") {
      var answers = C.matchAnswers(q);
      out = "";
      var any = false;
      for (k = 0; k < q.pairs.length; k++) {
        idx = hasOwn(answer, q.pairs[k].id) ? indexOfId(answers, answer[q.pairs[k].id]) : -1;
        if (idx >= 0 && idx < 36) {
          out += ch(idx);
          any = true;
        } else {
          out += "-";
        }
      }
      return any ? out : "";
    }
    if (q.type === "ordering") {
      out = "";
      for (k = 0; k < answer.length; k++) {
        out += ch(indexOfId(q.items, answer[k]));
      }
      return out.length === q.items.length ? out : "";
    }
    return "";
  }

  /** @param {AppState} s  @returns {string} */
  function encodeState(s) {
    var answers = s.answers || {};
    var sd = "";
    var k;
    for (k = 0; k < sdQuestions.length; k++) {
      var a = answers[sdQuestions[k].id];
      sd += a === true ? "1" : (a === false ? "0" : "-");
    }
    var tr = "";
    for (k = 0; k < nodes.length; k++) {
      var idx = hasOwn(answers, nodes[k].id) ?
        indexOfId(nodes[k].options, answers[nodes[k].id]) : -1;
      tr += idx >= 0 ? ch(idx) : "-";
    }
    var kc = [];
    for (k = 0; k < kcQuestions.length; k++) {
      kc.push(encodeKnowledge(kcQuestions[k], answers[kcQuestions[k].id]));
    }
    var marks = "";
    var anyMark = false;
    for (k = 0; k < kcQuestions.length; k++) {
      var mark = s.marks && hasOwn(s.marks, kcQuestions[k].id) ? s.marks[kcQuestions[k].id] : "";
      anyMark = anyMark || mark === "c" || mark === "s";
      marks += mark === "c" || mark === "s" ? mark : "-";
    }
    var best = typeof s.best === "number" && s.best >= 0 ? b36(Math.min(s.best, 100)) : "";
    return ["p3", C.scorm.stateVersion, b36(screenNumber(s)),
            b36(s.flags || 0), b36(Math.min(s.interactions || 0, MAX_COUNT)),
            sd, tr, kc.join("."), b36(Math.min(s.attempts || 0, MAX_ATTEMPTS)), best,
            anyMark ? marks : ""].join("|");
  }

  /** @param {string} text  @param {number} maxLength */
  function parse36(text, maxLength) {
    if (!/^[0-9a-z]+$/.test(text) || text.length > maxLength) {
      return -1;
    }
    return parseInt(text, 36);
  }

  /* The answer `text` encodes; undefined for none. Throws on a malformed field. */
  /** @param {KcQuestion} q  @param {string} text  @returns {*} */
  function decodeKnowledge(q, text) {
    var k, idx;
    if (text === "") {
      return undefined;
    }
    if (q.type === "single") {
      idx = BASE36.indexOf(text);
      if (text.length !== 1 || idx < 0 || idx >= q.options.length) {
        throw new Error("bad answer");
      }
      return q.options[idx].id;
    }
    if (q.type === "true-false") {
      if (text !== "t" && text !== "f") {
        throw new Error("bad answer");
      }
      return text === "t";
    }
    if (q.type === "multiple") {
      var chosen = [];
      var lastIdx = -1;
      for (k = 0; k < text.length; k++) {
        idx = BASE36.indexOf(text.charAt(k));
        if (idx <= lastIdx || idx >= q.options.length) {
          throw new Error("bad answer");
        }
        lastIdx = idx;
        chosen.push(q.options[idx].id);
      }
      return chosen;
    }
    if (q.type === "matching") {
      var answers = C.matchAnswers(q);
      /** @type {Object<string, string>} */
      var map = {};
      if (text.length !== q.pairs.length) {
        throw new Error("bad answer");
      }
      for (k = 0; k < text.length; k++) {
        if (text.charAt(k) === "-") {
          continue;
        }
        idx = BASE36.indexOf(text.charAt(k));
        if (idx < 0 || idx >= answers.length) {
          throw new Error("bad answer");
        }
        map[q.pairs[k].id] = answers[idx].id;
      }
      return map;
    }
    if (q.type === "ordering") {
      var order = [];
      /** @type {Object<number, boolean>} */
      var seen = {};
      if (text.length !== q.items.length) {
        throw new Error("bad answer");
      }
      for (k = 0; k < text.length; k++) {
        idx = BASE36.indexOf(text.charAt(k));
        if (idx < 0 || idx >= q.items.length || seen[idx]) {
          throw new Error("bad answer");
        }
        seen[idx] = true;
        order.push(q.items[idx].id);
      }
      return order;
    }
    throw new Error("unknown question type");
  }

  /* The state in `text`, or null when it is not a p3 (or p2, p1) state of this
   * course version. A p2 or p1 state numbers only the screens (two digits at most):
   * it opens the knowledge check where the app would open it. A p1 state has no
   * attempts: a submitted one counts as one attempt, whose best score the app
   * takes from its answers (best -1). */
  /** @param {*} text  @returns {AppState|null} */
  function decodeState(text) {
    if (typeof text !== "string") {
      return null;
    }
    var parts = text.split("|");
    var p1 = parts.length === 8 && parts[0] === "p1";
    var p3 = parts.length === 11 && parts[0] === "p3";
    if (!(p1 || p3 || (parts.length === 11 && parts[0] === "p2")) ||
        parts[1] !== C.scorm.stateVersion) {
      return null;
    }
    var s = freshState();
    var screen = parse36(parts[2], p3 ? b36(MAX_SCREEN_NUMBER).length : 2);
    s.flags = parse36(parts[3], 1);
    s.interactions = parse36(parts[4], 4);
    if (screen < 0 || s.flags < 0 || s.interactions < 0) {
      return null;
    }
    if (p3) {
      setScreenNumber(s, screen);
    } else {
      s.screen = screen;
    }
    if (p1) {
      s.attempts = (s.flags & FLAGS.SUBMITTED) ? 1 : 0;
    } else {
      s.attempts = parse36(parts[8], 2);
      s.best = parts[9] === "" ? -1 : parse36(parts[9], 2);
      if (s.attempts < 0 || (parts[9] !== "" && (s.best < 0 || s.best > 100)) ||
          !decodeMarks(s, parts[10])) {
        return null;
      }
    }
    var sd = parts[5];
    var tr = parts[6];
    var k;
    if (sd.length !== sdQuestions.length || tr.length !== nodes.length) {
      return null;
    }
    for (k = 0; k < sd.length; k++) {
      var c = sd.charAt(k);
      if (c === "1" || c === "0") {
        s.answers[sdQuestions[k].id] = c === "1";
      } else if (c !== "-") {
        return null;
      }
    }
    for (k = 0; k < tr.length; k++) {
      if (tr.charAt(k) === "-") {
        continue;
      }
      var idx = BASE36.indexOf(tr.charAt(k));
      if (idx < 0 || idx >= nodes[k].options.length) {
        return null;
      }
      s.answers[nodes[k].id] = nodes[k].options[idx].id;
    }
    var kc = kcQuestions.length ? parts[7].split(".") : (parts[7] === "" ? [] : null);
    if (kc === null || kc.length !== kcQuestions.length) {
      return null;
    }
    try {
      for (k = 0; k < kc.length; k++) {
        var answer = decodeKnowledge(kcQuestions[k], kc[k]);
        if (answer !== undefined) {
          s.answers[kcQuestions[k].id] = answer;
        }
      }
    } catch (e) {
      return null;
    }
    return s;
  }

  /** @param {AppState} s  @param {string} text  @returns {boolean} false: malformed */
  function decodeMarks(s, text) {
    if (text === "") {
      return true;
    }
    if (text.length !== kcQuestions.length) {
      return false;
    }
    for (var k = 0; k < text.length; k++) {
      var c = text.charAt(k);
      if (c === "c" || c === "s") {
        s.marks[kcQuestions[k].id] = c;
      } else if (c !== "-") {
        return false;
      }
    }
    return true;
  }

  /* The longest state the encoder can write for this package: the last screen
   * number (the finish screen, after every knowledge-check screen), the
   * interaction count at the width the format reserves (4 base-36 digits: the
   * app never goes beyond it), every flag, every question at its longest answer,
   * the attempts and best score at their widest (2 digits each) and a mark on
   * every question. Its length is state_budget() in Python. */
  function worstCaseState() {
    /** @type {Object<string, *>} */
    var answers = {};
    /** @type {Object<string, string>} */
    var marks = {};
    var k, m;
    for (k = 0; k < sdQuestions.length; k++) {
      answers[sdQuestions[k].id] = true;
    }
    for (k = 0; k < nodes.length; k++) {
      answers[nodes[k].id] = nodes[k].options[nodes[k].options.length - 1].id;
    }
    for (k = 0; k < kcQuestions.length; k++) {
      var q = kcQuestions[k];
      marks[q.id] = "c";
      if (q.type === "single") {
        answers[q.id] = q.options[q.options.length - 1].id;
      } else if (q.type === "multiple") {
        answers[q.id] = [];
        for (m = 0; m < q.options.length; m++) {
          answers[q.id].push(q.options[m].id);
        }
      } else if (q.type === "true-false") {
        answers[q.id] = true;
      } else if (q.type === "matching") {
        var all = C.matchAnswers(q);
        answers[q.id] = {};
        for (m = 0; m < q.pairs.length; m++) {
          answers[q.id][q.pairs[m].id] = all[all.length - 1].id;
        }
      } else if (q.type === "ordering") {
        answers[q.id] = [];
        for (m = q.items.length - 1; m >= 0; m--) {
          answers[q.id].push(q.items[m].id);
        }
      }
    }
    return encodeState({ screen: C.SCREENS.length - 1, page: 0,
                         flags: FLAGS.SUBMITTED | FLAGS.FINISHED | FLAGS.PASSED | FLAGS.FAILED,
                         interactions: MAX_COUNT, answers: answers, attempts: MAX_ATTEMPTS,
                         best: 100, marks: marks });
  }

  return {
    FLAGS: FLAGS,
    MAX_COUNT: MAX_COUNT,
    MAX_ATTEMPTS: MAX_ATTEMPTS,
    MAX_SCREEN_NUMBER: MAX_SCREEN_NUMBER,
    screenNumber: screenNumber,
    freshState: freshState,
    encodeState: encodeState,
    decodeState: decodeState,
    worstCaseState: worstCaseState
  };
}(PmkitCourse));
