/*
 * app.js - the course as a web app: screens, answers, the saved state and what
 * is reported to the LMS (docs/scorm-package.md). Version-independent: every
 * LMS call goes through window.PmkitRuntime (scorm-runtime.js).
 *
 * Every content string reaches the page through textContent or an attribute
 * setter, never innerHTML: `<script>` in the content shows as text.
 * ES5, no dependencies, a classic script (loaded after course-data.js,
 * pmkit-scoring.js and scorm-runtime.js).
 *
 * For tests: window.pmkitApp = {encodeState(state), decodeState(text), state(),
 * worstCaseState(), screens(), go(screenIdOrIndex)}; a state is
 * {screen, flags, interactions, answers} with answers in the scorers' format.
 */
(function (win, doc) {
  "use strict";

  var P = win.PMKIT_PACKAGE;
  var course = P.course;
  var SC = P.scorm;
  var QS = SC.questions;
  var runtime = win.PmkitRuntime;
  var scorers = win.pmkitScorers;

  var BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";
  var MAX_SCREEN = 36 * 36 - 1;          /* the state reserves 2 base-36 digits */
  var MAX_COUNT = 36 * 36 * 36 * 36 - 1; /* and 4 for the interaction count */
  var FLAG_SUBMITTED = 1;
  var FLAG_FINISHED = 2;
  var FLAG_PASSED = 4;
  var FLAG_FAILED = 8;

  /* --------------------------------------------------------------- the course */

  var tracks = course.tracks;
  var trackById = {};
  var i;
  for (i = 0; i < tracks.length; i++) {
    trackById[tracks[i].id] = tracks[i];
  }
  var sdQuestions = [];
  var sdById = {};
  (function () {
    var groups = course.self_discovery.groups;
    for (var g = 0; g < groups.length; g++) {
      for (var q = 0; q < groups[g].questions.length; q++) {
        sdQuestions.push(groups[g].questions[q]);
        sdById[groups[g].questions[q].id] = groups[g].questions[q];
      }
    }
  }());
  var tree = course.decision_tree;
  var nodes = tree.nodes;
  var nodeById = {};
  for (i = 0; i < nodes.length; i++) {
    nodeById[nodes[i].id] = nodes[i];
  }
  var kcQuestions = course.knowledge_check.questions;

  var SCREENS = [
    { id: "welcome", label: "Welcome" },
    { id: "self-discovery", label: "Self-discovery" },
    { id: "starting-point", label: "Starting point" },
    { id: "recommendation", label: "Recommendation" },
    { id: "tracks", label: "Career tracks" },
    { id: "decision-tree", label: "Decision tree" },
    { id: "future", label: "Your future" },
    { id: "knowledge-check", label: "Knowledge check" },
    { id: "next-steps", label: "Next steps" },
    { id: "finish", label: "Finish" }
  ];
  var SCREEN = {};
  for (i = 0; i < SCREENS.length; i++) {
    SCREEN[SCREENS[i].id] = i;
  }

  function hasOwn(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  function optionLabel(option) {
    if (option.label) {
      return option.label;
    }
    if (option.track && hasOwn(trackById, option.track)) {
      return trackById[option.track].perfect_for;
    }
    return option.id;
  }

  function trackName(id) {
    return hasOwn(trackById, id) ? trackById[id].short_title : id;
  }

  function matchAnswers(q) {
    var out = [];
    var k;
    for (k = 0; k < q.pairs.length; k++) {
      out.push({ id: q.pairs[k].id, text: q.pairs[k].match });
    }
    var extra = q.distractors || [];
    for (k = 0; k < extra.length; k++) {
      out.push({ id: extra[k].id, text: extra[k].text });
    }
    return out;
  }

  function indexOfId(list, id) {
    for (var k = 0; k < list.length; k++) {
      if (list[k].id === id) {
        return k;
      }
    }
    return -1;
  }

  /* ------------------------------------------------------------------ state */

  /* The state: {screen, flags, interactions, answers}; answers in the scorers'
   * format (docs/content-format.md "Answers"). */
  function freshState() {
    return { screen: 0, flags: 0, interactions: 0, answers: {} };
  }

  function b36(n) {
    return Math.max(0, Math.floor(n)).toString(36);
  }

  function ch(index) {
    return index >= 0 && index < BASE36.length ? BASE36.charAt(index) : "";
  }

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
      var answers = matchAnswers(q);
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
      var idx = hasOwn(answers, nodes[k].id) ? indexOfId(nodes[k].options, answers[nodes[k].id]) : -1;
      tr += idx >= 0 ? ch(idx) : "-";
    }
    var kc = [];
    for (k = 0; k < kcQuestions.length; k++) {
      kc.push(encodeKnowledge(kcQuestions[k], answers[kcQuestions[k].id]));
    }
    return ["p1", SC.stateVersion, b36(Math.min(s.screen || 0, MAX_SCREEN)),
            b36(s.flags || 0), b36(Math.min(s.interactions || 0, MAX_COUNT)),
            sd, tr, kc.join(".")].join("|");
  }

  function parse36(text, maxLength) {
    if (!/^[0-9a-z]+$/.test(text) || text.length > maxLength) {
      return -1;
    }
    return parseInt(text, 36);
  }

  function decodeKnowledge(q, text) {
    var k, idx, seen;
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
      var answers = matchAnswers(q);
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
      seen = {};
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

  /* The state in `text`, or null when it is not a p1 state of this course version. */
  function decodeState(text) {
    if (typeof text !== "string") {
      return null;
    }
    var parts = text.split("|");
    if (parts.length !== 8 || parts[0] !== "p1" || parts[1] !== SC.stateVersion) {
      return null;
    }
    var s = freshState();
    s.screen = parse36(parts[2], 2);
    s.flags = parse36(parts[3], 1);
    s.interactions = parse36(parts[4], 4);
    if (s.screen < 0 || s.flags < 0 || s.interactions < 0) {
      return null;
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

  /* The longest state the encoder can write for this package: screen and
   * interaction count at the widths the format reserves (2 and 4 base-36
   * digits: the app never goes beyond them), every flag, every question at its
   * longest answer. Its length is state_budget() in Python. */
  function worstCaseState() {
    var answers = {};
    var k, m;
    for (k = 0; k < sdQuestions.length; k++) {
      answers[sdQuestions[k].id] = true;
    }
    for (k = 0; k < nodes.length; k++) {
      answers[nodes[k].id] = nodes[k].options[nodes[k].options.length - 1].id;
    }
    for (k = 0; k < kcQuestions.length; k++) {
      var q = kcQuestions[k];
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
        var all = matchAnswers(q);
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
    return encodeState({ screen: MAX_SCREEN,
                         flags: FLAG_SUBMITTED | FLAG_FINISHED | FLAG_PASSED | FLAG_FAILED,
                         interactions: MAX_COUNT, answers: answers });
  }

  /* ---------------------------------------------------------------- the DOM */

  function $(id) {
    return doc.getElementById(id);
  }

  /* el("p", {className: "x", id: "y"}, ["text", child, ...]) - text via text nodes only. */
  function el(tag, attrs, children) {
    var node = doc.createElement(tag);
    var key;
    if (attrs) {
      for (key in attrs) {
        if (!hasOwn(attrs, key) || attrs[key] === null || attrs[key] === undefined ||
            attrs[key] === false) {
          continue;
        }
        if (key === "className") {
          node.className = attrs[key];
        } else if (key === "text") {
          node.textContent = attrs[key];
        } else if (key === "htmlFor") {
          node.htmlFor = attrs[key];
        } else if (key === "checked" || key === "disabled" || key === "selected" ||
                   key === "value") {
          node[key] = attrs[key];
        } else {
          node.setAttribute(key, attrs[key] === true ? "" : String(attrs[key]));
        }
      }
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    if (children === null || children === undefined) {
      return node;
    }
    if (Object.prototype.toString.call(children) !== "[object Array]") {
      children = [children];
    }
    for (var k = 0; k < children.length; k++) {
      var c = children[k];
      if (c === null || c === undefined || c === false) {
        continue;
      }
      if (typeof c === "string" || typeof c === "number") {
        node.appendChild(doc.createTextNode(String(c)));
      } else if (Object.prototype.toString.call(c) === "[object Array]") {
        append(node, c);
      } else {
        node.appendChild(c);
      }
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  /* Plain text -> <p> per paragraph (blank lines); single line breaks become spaces. */
  function paragraphs(text, className) {
    var out = [];
    if (!text) {
      return out;
    }
    var parts = String(text).split(/\n[ \t]*\n/);
    for (var k = 0; k < parts.length; k++) {
      var t = parts[k].replace(/\s*\n\s*/g, " ").replace(/^\s+|\s+$/g, "");
      if (t) {
        out.push(el("p", { className: className }, t));
      }
    }
    return out;
  }

  function list(tag, items, className) {
    var node = el(tag, { className: className });
    for (var k = 0; k < items.length; k++) {
      node.appendChild(el("li", null, items[k]));
    }
    return node;
  }

  function heading(level, text, id) {
    return el("h" + level, { id: id, tabindex: level === 1 ? "-1" : null }, text);
  }

  /* ------------------------------------------------------------- notices */

  var lastNotice = "";

  /* A non-blocking notice in the polite live region (cleared on the next screen). */
  function notice(text, kind) {
    var box = $("notices");
    if (!box || !text || text === lastNotice) {
      return;
    }
    lastNotice = text;
    box.appendChild(el("p", { className: "notice notice-" + (kind || "info") }, text));
    while (box.childNodes.length > 3) {
      box.removeChild(box.firstChild);
    }
  }

  function clearNotices() {
    var box = $("notices");
    if (box) {
      clear(box);
    }
    lastNotice = "";
  }

  function announce(text) {
    var region = $("announcer");
    if (!region) {
      return;
    }
    region.textContent = "";
    win.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  /* ------------------------------------------------------------ app state */

  var state = freshState();
  var connected = false;        /* an LMS API was found */
  var ended = false;            /* the runtime session was finished */
  var reportedScore = null;     /* the best score already reported (scaled) */
  var reportedSuccess = "unknown";
  var recorded = {};            /* question id -> response last recorded this session */
  var latency = {};             /* question id -> ms from the screen shown to the answer */
  var shownAt = new Date().getTime();
  var maxScreen = 0;
  var objectivesWritten = "";
  var walkPath = [];            /* the decision-tree explorer's steps: option ids by node */
  var readOnly = false;         /* results view after Finish */
  var storageOk = true;
  /* The LMS's launch mode (cmi.mode, cmi.core.lesson_mode). In "review" and "browse"
   * the course writes nothing and offers no Retake (docs/scorm-package.md, "Review and
   * browse modes"); the runtime refuses the writes too, this keeps the app honest
   * about it on screen. */
  var lmsMode = "normal";
  /* A relaunch of a finished attempt opens on the recorded results. Looking at them
   * changes nothing, so nothing is written (not even a session time) until the
   * learner selects Retake: the record stays exactly as the LMS holds it. */
  var settled = false;
  /* Review mode without a state to show (Moodle opens a 2004 attempt that ended
   * with exit = normal that way): the "This attempt is complete" screen. */
  var attemptComplete = false;
  var lmsStatus = null;         /* what the LMS reported at start: {completion, success} */

  /* True when this session may report to the LMS now. */
  function reporting() {
    return connected && !ended && lmsMode === "normal" && !settled;
  }

  function has(flag) {
    return (state.flags & flag) === flag;
  }

  function answer(id) {
    return hasOwn(state.answers, id) ? state.answers[id] : undefined;
  }

  function storageGet() {
    try {
      return win.localStorage.getItem(SC.storageKey);
    } catch (e) {
      storageOk = false;
      return null;
    }
  }

  function storageSet(value) {
    try {
      if (value === null) {
        win.localStorage.removeItem(SC.storageKey);
      } else {
        win.localStorage.setItem(SC.storageKey, value);
      }
      return true;
    } catch (e) {
      if (storageOk) {
        notice("This browser does not let the course keep your progress (storage is " +
               "blocked or full). You can go on, but your answers will be lost when you " +
               "close the page.", "warning");
      }
      storageOk = false;
      return false;
    }
  }

  var lastSaved = null;

  function save() {
    var text = encodeState(state);
    var location = SCREENS[state.screen].id;
    if (text.length > SC.limits.suspendData) {
      notice("Your progress is too long to be saved (" + text.length + " characters).",
             "warning");
      return;
    }
    if (text + "#" + location === lastSaved) {
      return;
    }
    if (connected) {
      if (reporting()) {
        lastSaved = text + "#" + location;
        runtime.saveState(text, location);
      }
    } else {
      lastSaved = text + "#" + location;
      storageSet(text);
    }
  }

  /* Save the state and commit: after every answer and every screen change. */
  function persist() {
    save();
    if (reporting()) {
      runtime.commit();
    }
  }

  /* ------------------------------------------------------------ reporting */

  function record(qid, response, result) {
    if (state.interactions >= MAX_COUNT || !hasOwn(QS, qid)) {
      return;
    }
    if (reporting()) {
      runtime.recordInteraction(state.interactions, QS[qid], response, result,
                                latency[qid] || 0, new Date());
    }
    state.interactions += 1;
  }

  function tfResponse(qid, value) {
    return QS[qid].tokens[value ? "true" : "false"];
  }

  /* Self-discovery answers, when leaving that screen: the ones not yet recorded. */
  function recordSelfDiscovery() {
    for (var k = 0; k < sdQuestions.length; k++) {
      var id = sdQuestions[k].id;
      var a = answer(id);
      if (a === true || a === false) {
        var response = tfResponse(id, a);
        if (recorded[id] !== response) {
          record(id, response, "neutral");
          recorded[id] = response;
        }
      }
    }
  }

  /* Decision-tree answers on the learner's path, when leaving the starting point. */
  function recordTree() {
    var path = treePath(state.answers);
    for (var k = 0; k < path.length; k++) {
      var id = path[k].node;
      var response = QS[id].tokens[path[k].option];
      if (recorded[id] !== response) {
        record(id, response, "neutral");
        recorded[id] = response;
      }
    }
  }

  function knowledgeResponse(q, a) {
    var meta = QS[q.id];
    var parts = [];
    var k;
    if (q.type === "single") {
      return meta.tokens[a];
    }
    if (q.type === "true-false") {
      return tfResponse(q.id, a);
    }
    if (q.type === "multiple") {
      for (k = 0; k < q.options.length; k++) {
        if (a.indexOf(q.options[k].id) >= 0) {
          parts.push(meta.tokens[q.options[k].id]);
        }
      }
      return parts.join(meta.sep);
    }
    if (q.type === "matching") {
      for (k = 0; k < q.pairs.length; k++) {
        var target = a[q.pairs[k].id];
        if (target !== undefined && hasOwn(meta.targets, target)) {
          parts.push(meta.tokens[q.pairs[k].id] + meta.pairSep + meta.targets[target]);
        }
      }
      return parts.join(meta.sep);
    }
    for (k = 0; k < a.length; k++) {
      parts.push(meta.tokens[a[k]]);
    }
    return parts.join(meta.sep);
  }

  function recommendation() {
    return scorers.get(P.scorers.recommendation)(P.scoring, state.answers,
                                                 { mastery: P.mastery });
  }

  function grade() {
    return scorers.get(P.scorers.grade)(P.scoring, state.answers, { mastery: P.mastery });
  }

  function writeObjectives(rec) {
    var shares = [];
    var sig = [];
    for (var k = 0; k < rec.tracks.length; k++) {
      shares.push({ id: rec.tracks[k].track, share: rec.tracks[k].share });
      sig.push(rec.tracks[k].track + "=" + rec.tracks[k].share);
    }
    if (sig.join(",") === objectivesWritten || !reporting()) {
      return;
    }
    runtime.setObjectives(shares);
    objectivesWritten = sig.join(",");
  }

  /* The knowledge check's result to the LMS: status and score, never lowered. */
  function reportGrade(result) {
    var scaled = result.percent / 100;  /* the whole percent that decides pass/fail */
    var passedBefore = reportedSuccess === "passed" || has(FLAG_PASSED);
    if (result.passed) {
      state.flags |= FLAG_PASSED;
    } else if (!passedBefore) {
      state.flags |= FLAG_FAILED;
    }
    if (!reporting()) {
      return;
    }
    var status = runtime.setStatus(result.passed ? "passed" : "failed");
    var better = reportedScore === null || (result.passed && !passedBefore) ||
      (scaled > reportedScore && (result.passed || !passedBefore));
    if (better) {
      runtime.setScore(scaled);
      reportedScore = scaled;
    }
    reportedSuccess = status && status.success ? status.success : reportedSuccess;
  }

  function reportProgress() {
    if (state.screen > maxScreen) {
      maxScreen = state.screen;
    }
    if (reporting()) {
      runtime.setProgress(has(FLAG_FINISHED) ? 1 :
                          Math.min(1, maxScreen / (SCREENS.length - 1)));
    }
  }

  /* ------------------------------------------------------ the decision tree */

  /* The path the answers take from the start node: [{node, option, optionObj}]. */
  function treePath(answers) {
    var path = [];
    var node = hasOwn(nodeById, tree.start) ? nodeById[tree.start] : null;
    var guard = 0;
    while (node && guard < nodes.length + 1) {
      guard += 1;
      var chosen = hasOwn(answers, node.id) ? answers[node.id] : null;
      var idx = indexOfId(node.options, chosen);
      if (idx < 0) {
        break;
      }
      var option = node.options[idx];
      path.push({ node: node.id, option: option.id, optionObj: option, nodeObj: node });
      if (option.track) {
        break;
      }
      node = option.next && hasOwn(nodeById, option.next) ? nodeById[option.next] : null;
    }
    return path;
  }

  function treeComplete(answers) {
    var path = treePath(answers);
    return path.length > 0 && !!path[path.length - 1].optionObj.track;
  }

  /* Drop answers of nodes the current path no longer visits. */
  function pruneTree() {
    var path = treePath(state.answers);
    var on = {};
    for (var k = 0; k < path.length; k++) {
      on[path[k].node] = true;
    }
    for (k = 0; k < nodes.length; k++) {
      if (!on[nodes[k].id] && hasOwn(state.answers, nodes[k].id)) {
        delete state.answers[nodes[k].id];
      }
    }
  }

  /* ------------------------------------------------------------- controls */

  function choiceInput(type, name, id, labelText, checked, onChange, hintText, disabled) {
    var hintId = hintText ? id + "_hint" : null;
    var input = el("input", { type: type, name: name, id: id, checked: !!checked,
                              disabled: !!disabled, "aria-describedby": hintId });
    input.addEventListener("change", onChange);
    var label = el("label", { htmlFor: id }, el("span", { className: "choice-label" }, labelText));
    var row = el("div", { className: "choice" }, [input, label]);
    if (hintText) {
      label.appendChild(el("span", { className: "choice-hint", id: hintId }, hintText));
    }
    return row;
  }

  function button(id, text, className, onClick, attrs) {
    var b = el("button", { type: "button", id: id, className: "button " + (className || "") });
    b.textContent = text;
    if (attrs) {
      for (var key in attrs) {
        if (hasOwn(attrs, key)) {
          b.setAttribute(key, attrs[key]);
        }
      }
    }
    b.addEventListener("click", onClick);
    return b;
  }

  function touch(qid) {
    latency[qid] = new Date().getTime() - shownAt;
  }

  /* ------------------------------------------------------------- screens */

  function screenSection(id, title, intro) {
    var section = el("section", { className: "screen screen-" + id, id: "screen-" + id,
                                  "aria-labelledby": "screen-heading", "data-screen": id });
    section.appendChild(heading(1, title, "screen-heading"));
    append(section, intro ? paragraphs(intro, "lead") : null);
    return section;
  }

  function renderWelcome() {
    var intro = course.introduction;
    var s = screenSection("welcome", intro.heading, null);
    append(s, paragraphs(intro.text));
    s.appendChild(heading(2, "What you will do"));
    var steps = [];
    for (var k = 1; k < SCREENS.length; k++) {
      steps.push(SCREENS[k].label);
    }
    s.appendChild(list("ol", steps, "outline"));
    s.appendChild(el("p", null, lmsMode === "normal" ?
                     "Your answers are saved as you go, so you can leave and come back at " +
                     "any time. Select Next to begin." :
                     "In this mode nothing you do is saved or recorded. Select Next to begin."));
    return s;
  }

  function renderSelfDiscovery() {
    var sd = course.self_discovery;
    var s = screenSection("self-discovery", sd.title, sd.intro);
    var status = el("p", { className: "hint", id: "sd-status" });
    function updateStatus() {
      var n = 0;
      for (var k = 0; k < sdQuestions.length; k++) {
        if (answer(sdQuestions[k].id) !== undefined) {
          n += 1;
        }
      }
      status.textContent = "You have answered " + n + " of " + sdQuestions.length +
        " questions. A question you leave unanswered counts as \u201cno\u201d.";
    }
    for (var g = 0; g < sd.groups.length; g++) {
      var group = sd.groups[g];
      var box = el("div", { className: "group", id: "group_" + group.id });
      box.appendChild(heading(2, group.title));
      for (var k = 0; k < group.questions.length; k++) {
        box.appendChild(sdQuestion(group.questions[k], updateStatus));
      }
      s.appendChild(box);
    }
    updateStatus();
    s.appendChild(status);
    return s;
  }

  function sdQuestion(q, after) {
    var name = "sd_" + q.id;
    var current = answer(q.id);
    function pick(value) {
      return function () {
        state.answers[q.id] = value;
        touch(q.id);
        after();
        persist();
      };
    }
    return el("fieldset", { className: "question yes-no", id: "q_" + q.id }, [
      el("legend", null, q.text),
      el("div", { className: "choices choices-inline" }, [
        choiceInput("radio", name, name + "_yes", "Yes", current === true, pick(true)),
        choiceInput("radio", name, name + "_no", "No", current === false, pick(false))
      ])
    ]);
  }

  function renderStartingPoint() {
    var s = screenSection("starting-point", "Your starting point", tree.intro);
    var area = el("div", { id: "tree-questions" });
    var error = el("p", { className: "error-message", id: "tree-error", hidden: true });
    function draw(focusNode) {
      clear(area);
      var node = hasOwn(nodeById, tree.start) ? nodeById[tree.start] : null;
      var guard = 0;
      while (node && guard <= nodes.length) {
        guard += 1;
        area.appendChild(treeQuestion(node, onChoose));
        var idx = indexOfId(node.options, answer(node.id));
        if (idx < 0) {
          break;
        }
        var option = node.options[idx];
        node = !option.track && option.next && hasOwn(nodeById, option.next) ?
          nodeById[option.next] : null;
      }
      if (focusNode) {
        var input = doc.getElementById("tree_" + focusNode.node + "_" + focusNode.option);
        if (input) {
          input.focus();
        }
      }
    }
    function onChoose(node, option) {
      var before = treePath(state.answers).length;
      state.answers[node.id] = option.id;
      touch(node.id);
      pruneTree();
      error.hidden = true;
      draw({ node: node.id, option: option.id });
      persist();
      var path = treePath(state.answers);
      if (!option.track && path.length > before) {
        announce("A follow-up question appeared below: " +
                 (nodeById[option.next] ? nodeById[option.next].prompt : ""));
      }
    }
    draw(null);
    s.appendChild(area);
    s.appendChild(error);
    return s;
  }

  function treeQuestion(node, onChoose) {
    var name = "tree_" + node.id;
    var fs = el("fieldset", { className: "question", id: "q_" + node.id,
                              "aria-describedby": node.text ? "q_" + node.id + "_text" : null });
    fs.appendChild(el("legend", null, node.prompt));
    if (node.text) {
      fs.appendChild(el("p", { className: "hint", id: "q_" + node.id + "_text" }, node.text));
    }
    var box = el("div", { className: "choices" });
    var chosen = answer(node.id);
    for (var k = 0; k < node.options.length; k++) {
      (function (option) {
        box.appendChild(choiceInput("radio", name, name + "_" + option.id, optionLabel(option),
                                    chosen === option.id,
                                    function () { onChoose(node, option); },
                                    option.text || null));
      }(node.options[k]));
    }
    fs.appendChild(box);
    return fs;
  }

  function pointsText(points) {
    var parts = [];
    for (var k = 0; k < tracks.length; k++) {
      if (hasOwn(points, tracks[k].id) && points[tracks[k].id] > 0) {
        parts.push("+" + points[tracks[k].id] + " " + tracks[k].short_title);
      }
    }
    return parts.join(", ");
  }

  function joinNames(names) {
    if (names.length <= 1) {
      return names.join("");
    }
    return names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }

  /* The recommendation: headline, ties, the chart and the reasons. */
  function recommendationBlock(rec, headingLevel) {
    var box = el("div", { className: "recommendation", id: "recommendation" });
    var track = trackById[rec.track];
    var k;
    if (rec.total === 0) {
      box.appendChild(el("p", { className: "result-headline", id: "recommended-track" },
                         "Your answers do not point to a track yet."));
    } else if (rec.tie.length > 1) {
      var names = [];
      for (k = 0; k < rec.tie.length; k++) {
        names.push(trackById[rec.tie[k]] ? trackById[rec.tie[k]].title : rec.tie[k]);
      }
      box.appendChild(el("p", { className: "result-headline", id: "recommended-track",
                                "data-track": rec.track, "data-tie": rec.tie.join(" ") },
                         "It\u2019s a tie: your answers point equally to " + joinNames(names) +
                         "."));
      box.appendChild(el("p", null, "Each of them earned the same number of points. " +
                         "Explore all of them in the career tracks that follow."));
    } else {
      box.appendChild(el("p", { className: "result-headline", id: "recommended-track",
                                "data-track": rec.track },
                         ["Your recommended track: ", el("strong", null, track.title)]));
      box.appendChild(el("p", null, ["Perfect for: ", track.perfect_for]));
    }
    box.appendChild(chart(rec));
    box.appendChild(heading(headingLevel, "What led to this"));
    if (rec.contributions.length === 0) {
      box.appendChild(el("p", null, "None of your answers added points yet."));
    } else {
      var reasons = el("ul", { className: "reasons", id: "reasons" });
      for (k = 0; k < rec.contributions.length; k++) {
        var c = rec.contributions[k];
        var question;
        var answerText;
        if (hasOwn(sdById, c.question)) {
          question = sdById[c.question].text;
          answerText = "Yes";
        } else {
          var node = nodeById[c.question];
          question = node ? node.prompt : c.question;
          var idx = node ? indexOfId(node.options, c.answer) : -1;
          answerText = idx >= 0 ? optionLabel(node.options[idx]) : String(c.answer);
        }
        reasons.appendChild(el("li", { "data-question": c.question }, [
          el("span", { className: "reason-question" }, question),
          " ",
          el("span", { className: "reason-answer" }, "Your answer: " + answerText + "."),
          " ",
          el("span", { className: "reason-points" }, pointsText(c.points))
        ]));
      }
      box.appendChild(reasons);
    }
    return box;
  }

  function chart(rec) {
    var table = el("table", { className: "chart", id: "track-points" });
    table.appendChild(el("caption", null, "Points per track (" + rec.total + " in all)"));
    table.appendChild(el("thead", null, el("tr", null, [
      el("th", { scope: "col" }, "Track"),
      el("th", { scope: "col" }, "Points"),
      el("th", { scope: "col" }, "Share")
    ])));
    var body = el("tbody");
    for (var k = 0; k < rec.tracks.length; k++) {
      var t = rec.tracks[k];
      var top = t.track === rec.track || rec.tie.indexOf(t.track) >= 0;
      var fill = el("span", { className: "bar-fill" });
      fill.style.width = Math.max(0, Math.min(100, t.share)) + "%";
      body.appendChild(el("tr", { "data-track": t.track, className: top && rec.total > 0 ? "top" : null }, [
        el("th", { scope: "row" }, trackName(t.track)),
        el("td", { className: "num" }, String(t.points)),
        el("td", { className: "bar-cell" }, [
          el("span", { className: "bar", "aria-hidden": "true" }, fill),
          el("span", { className: "bar-value" }, t.share + "%")
        ])
      ]));
    }
    table.appendChild(body);
    return el("div", { className: "table-scroll" }, table);
  }

  function renderRecommendation() {
    var rec = recommendation();
    writeObjectives(rec);
    var s = screenSection("recommendation", "Your recommendation", null);
    s.appendChild(recommendationBlock(rec, 2));
    var choice = course.guidance.making_your_choice;
    s.appendChild(el("div", { className: "aside" }, [heading(2, choice.heading),
                                                      paragraphs(choice.text)]));
    return s;
  }

  function renderTracks() {
    var intro = course.guidance.tracks_intro;
    var s = screenSection("tracks", intro.heading, null);
    append(s, paragraphs(intro.text));
    var rec = recommendation();
    var recommended = rec.total > 0 ? (rec.tie.length ? rec.tie : [rec.track]) : [];
    var k;
    var overview = el("table", { className: "overview", id: "tracks-overview" });
    overview.appendChild(el("caption", null, "Career tracks at a glance"));
    overview.appendChild(el("thead", null, el("tr", null, [
      el("th", { scope: "col" }, "Track"),
      el("th", { scope: "col" }, "Perfect for")
    ])));
    var body = el("tbody");
    for (k = 0; k < tracks.length; k++) {
      body.appendChild(el("tr", null, [
        el("th", { scope: "row" }, el("a", { href: "#track-" + tracks[k].id }, tracks[k].title)),
        el("td", null, tracks[k].perfect_for)
      ]));
    }
    overview.appendChild(body);
    s.appendChild(el("div", { className: "table-scroll" }, overview));
    for (k = 0; k < tracks.length; k++) {
      s.appendChild(trackSection(tracks[k], recommended.indexOf(tracks[k].id) >= 0));
    }
    return s;
  }

  function trackSection(t, isRecommended) {
    var sec = el("section", { className: "track", id: "track-" + t.id,
                              "aria-labelledby": "track-" + t.id + "-title" });
    var h = el("h2", { id: "track-" + t.id + "-title", tabindex: "-1" }, t.title);
    if (isRecommended) {
      h.appendChild(doc.createTextNode(" "));
      h.appendChild(el("span", { className: "badge" }, "Recommended for you"));
    }
    sec.appendChild(h);
    sec.appendChild(el("p", { className: "perfect-for" },
                       [el("strong", null, "Perfect for: "), t.perfect_for]));
    var cols = el("div", { className: "track-columns" });
    cols.appendChild(el("div", null, [heading(3, "What you\u2019ll do"), list("ul", t.duties)]));
    cols.appendChild(el("div", null, [heading(3, "Key skills to develop"),
                                      list("ul", t.key_skills)]));
    sec.appendChild(cols);
    sec.appendChild(heading(3, "Career progression"));
    var ladder = el("ol", { className: "ladder", "aria-label": "Career progression of " +
                            t.short_title + ", first step first" });
    for (var k = 0; k < t.progression.length; k++) {
      ladder.appendChild(el("li", { className: "rung rung-" + Math.min(k, 7) },
                            [el("span", { className: "rung-step" }, "Step " + (k + 1)),
                             " ",
                             el("span", { className: "rung-title" }, t.progression[k])]));
    }
    sec.appendChild(ladder);
    sec.appendChild(heading(3, "Industries"));
    sec.appendChild(list("ul", t.industries, "tags"));
    var courses = t.courses || [];
    if (courses.length) {
      sec.appendChild(heading(3, "Recommended courses"));
      var ul = el("ul", { className: "courses" });
      for (k = 0; k < courses.length; k++) {
        var c = courses[k];
        var title = c.url && /^https:\/\//.test(c.url) ?
          el("a", { href: c.url, target: "_blank", rel: "noopener noreferrer" },
             [c.title, el("span", { className: "visually-hidden" }, " (opens in a new window)")]) :
          el("span", null, c.title);
        ul.appendChild(el("li", null, [
          el("p", { className: "course-name" }, el("strong", null, title)),
          el("p", { className: "course-provider" }, "Provider: " + c.provider),
          c.description ? paragraphs(c.description) : null
        ]));
      }
      sec.appendChild(ul);
    }
    return sec;
  }

  /* The decision tree, walked step by step (exploration only: nothing is recorded). */
  function renderWalk() {
    var s = screenSection("decision-tree", tree.title, null);
    s.appendChild(el("p", { className: "lead" }, "Walk the decision tree one step at a " +
                     "time: choose an answer, see where it leads, then go back or start over " +
                     "to try another path."));
    append(s, paragraphs(tree.intro));
    var area = el("div", { className: "walk", id: "walk" });
    s.appendChild(area);
    drawWalk(area, false);
    return s;
  }

  function drawWalk(area, moveFocus) {
    clear(area);
    var node = nodeById[tree.start];
    var trail = el("ol", { className: "trail", id: "walk-trail", "aria-label": "Your path so far" });
    var outcome = null;
    var k;
    for (k = 0; k < walkPath.length && node; k++) {
      var option = node.options[indexOfId(node.options, walkPath[k])];
      if (!option) {
        walkPath = walkPath.slice(0, k);
        break;
      }
      trail.appendChild(el("li", null, [el("span", { className: "trail-q" }, node.prompt), " ",
                                        el("strong", null, optionLabel(option))]));
      if (option.track) {
        outcome = { option: option, track: trackById[option.track] };
        node = null;
      } else {
        node = nodeById[option.next];
      }
    }
    if (walkPath.length) {
      area.appendChild(heading(2, "Your path so far"));
      area.appendChild(trail);
    }
    var stepHeading;
    if (outcome) {
      stepHeading = el("h2", { id: "walk-step", tabindex: "-1" },
                       "This leads to: " + (outcome.track ? outcome.track.title : outcome.option.track));
      area.appendChild(el("div", { className: "walk-outcome", id: "walk-outcome",
                                   "data-track": outcome.option.track }, [
        stepHeading,
        outcome.option.text ? el("p", null, outcome.option.text) : null,
        outcome.track ? el("p", null, ["Perfect for: ", outcome.track.perfect_for]) : null,
        outcome.track ? el("p", null, ["Where it leads: ",
                                       outcome.track.progression.join(" \u2192 ")]) : null
      ]));
    } else if (node) {
      stepHeading = el("h2", { id: "walk-step", tabindex: "-1" },
                       "Step " + (walkPath.length + 1) + ": " + node.prompt);
      var step = el("div", { className: "walk-step", id: "walk-node", "data-node": node.id },
                    [stepHeading, node.text ? el("p", { className: "hint" }, node.text) : null]);
      var options = el("ul", { className: "walk-options" });
      for (k = 0; k < node.options.length; k++) {
        (function (opt) {
          var b = el("button", { type: "button", className: "walk-option",
                                 id: "walk_" + node.id + "_" + opt.id },
                     [el("span", { className: "walk-option-label" }, optionLabel(opt)),
                      opt.text ? el("span", { className: "walk-option-text" }, opt.text) : null]);
          b.addEventListener("click", function () {
            walkPath.push(opt.id);
            drawWalk(area, true);
          });
          options.appendChild(el("li", null, b));
        }(node.options[k]));
      }
      step.appendChild(options);
      area.appendChild(step);
    }
    var controls = el("div", { className: "walk-controls" });
    if (walkPath.length) {
      controls.appendChild(button("walk-back", "Back one step", "button-secondary", function () {
        walkPath.pop();
        drawWalk(area, true);
      }));
      controls.appendChild(button("walk-restart", "Start over", "button-secondary", function () {
        walkPath = [];
        drawWalk(area, true);
      }));
    }
    area.appendChild(controls);
    if (moveFocus && stepHeading) {
      stepHeading.focus();
    }
  }

  function renderFuture() {
    var f = course.guidance.future;
    var s = screenSection("future", f.heading, null);
    append(s, paragraphs(f.text));
    s.appendChild(heading(2, f.industries_heading));
    append(s, paragraphs(f.industries_text));
    var table = el("table", { className: "overview", id: "industries" });
    table.appendChild(el("caption", null, "Industries where each role is in demand"));
    table.appendChild(el("thead", null, el("tr", null, [
      el("th", { scope: "col" }, "Track"), el("th", { scope: "col" }, "Industries")
    ])));
    var body = el("tbody");
    for (var k = 0; k < tracks.length; k++) {
      body.appendChild(el("tr", { "data-track": tracks[k].id }, [
        el("th", { scope: "row" }, tracks[k].short_title),
        el("td", null, list("ul", tracks[k].industries, "tags"))
      ]));
    }
    table.appendChild(body);
    s.appendChild(el("div", { className: "table-scroll" }, table));
    s.appendChild(heading(2, f.work_environments_heading));
    var envs = el("ul", { className: "cards", id: "work-environments" });
    for (k = 0; k < f.work_environments.length; k++) {
      var w = f.work_environments[k];
      envs.appendChild(el("li", { className: "card", id: "env_" + w.id }, [
        el("p", { className: "card-title" }, el("strong", null, w.label)),
        el("p", null, w.text)
      ]));
    }
    s.appendChild(envs);
    return s;
  }

  /* --------------------------------------------------------- knowledge check */

  function hashString(text) {
    var h = 2166136261;
    for (var k = 0; k < text.length; k++) {
      h ^= text.charCodeAt(k);
      h = (h * 16777619) >>> 0;
    }
    return h;
  }

  /* A fixed, shuffled starting order for an ordering question in which no item is
   * in its place (a question left as shown scores nothing, never a free part). */
  function initialOrder(q) {
    var n = q.items.length;
    var ids = [];
    var k, attempt;
    var seed = hashString(q.id) || 1;
    for (attempt = 0; attempt < 25; attempt++) {
      ids = [];
      for (k = 0; k < n; k++) {
        ids.push(q.items[k].id);
      }
      for (k = n - 1; k > 0; k--) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        var j = seed % (k + 1);
        var tmp = ids[k];
        ids[k] = ids[j];
        ids[j] = tmp;
      }
      var deranged = true;
      for (k = 0; k < n; k++) {
        if (ids[k] === q.items[k].id) {
          deranged = false;
        }
      }
      if (deranged) {
        return ids;
      }
    }
    ids = [];
    for (k = 0; k < n; k++) {
      ids.push(q.items[(k + 1) % n].id);  /* a rotation: nothing in its place */
    }
    return ids;
  }

  function currentOrder(q) {
    var a = answer(q.id);
    return a ? a.slice() : initialOrder(q);
  }

  function itemText(q, id) {
    var idx = indexOfId(q.items, id);
    return idx >= 0 ? q.items[idx].text : id;
  }

  function isAnswered(q) {
    var a = answer(q.id);
    if (a === undefined || a === null) {
      return false;
    }
    if (q.type === "multiple") {
      return a.length > 0;
    }
    if (q.type === "matching") {
      for (var key in a) {
        if (hasOwn(a, key)) {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  var kcStatus = null;

  function updateKcStatus() {
    if (!kcStatus) {
      return;
    }
    var n = 0;
    for (var k = 0; k < kcQuestions.length; k++) {
      if (kcQuestions[k].type === "ordering" || isAnswered(kcQuestions[k])) {
        n += 1;
      }
    }
    kcStatus.textContent = "You have answered " + n + " of " + kcQuestions.length +
      " questions. Pass mark: " + P.mastery + "%.";
  }

  function renderKnowledge() {
    var kc = course.knowledge_check;
    var s = screenSection("knowledge-check", kc.title, kc.intro);
    var submitted = has(FLAG_SUBMITTED);
    var result = submitted ? grade() : null;
    var summary = el("div", { className: "kc-result", id: "kc-result", tabindex: "-1",
                              hidden: !submitted });
    s.appendChild(summary);
    if (submitted) {
      fillResult(summary, result, false);
    } else {
      s.appendChild(el("p", { className: "hint" }, "Answer the questions, then select " +
                       "\u201cSubmit answers\u201d at the end to see your score and " +
                       "feedback. Ordering questions count as answered in the order shown."));
    }
    var form = el("div", { className: "kc-questions" });
    for (var k = 0; k < kcQuestions.length; k++) {
      form.appendChild(kcQuestion(kcQuestions[k], k, submitted,
                                  result ? result.questions[k] : null));
    }
    s.appendChild(form);
    kcStatus = el("p", { className: "hint", id: "kc-answered" });
    if (!submitted) {
      s.appendChild(kcStatus);
      updateKcStatus();
      s.appendChild(el("div", { className: "actions" },
                       button("kc-submit", "Submit answers", "button-primary", submitKnowledge)));
    }
    return s;
  }

  function fillResult(box, result, final) {
    clear(box);
    box.hidden = false;
    box.className = "kc-result " + (result.passed ? "is-passed" : "is-failed");
    box.appendChild(heading(2, "Your result"));
    box.appendChild(el("p", { className: "result-headline", id: "kc-score",
                              "data-percent": String(result.percent),
                              "data-passed": result.passed ? "true" : "false" },
                       ["Your score: ", el("strong", null, result.percent + "%"),
                        " (" + formatPoints(result.points) + " of " + result.max + " points). ",
                        "Pass mark: " + result.mastery + "%. ",
                        el("strong", null, result.passed ? "Passed." :
                           (final ? "Not passed." : "Not passed yet."))]));
    var counts = { correct: 0, partial: 0, incorrect: 0, unanswered: 0 };
    for (var k = 0; k < result.questions.length; k++) {
      counts[result.questions[k].status] += 1;
    }
    box.appendChild(el("p", null, counts.correct + " correct, " + counts.partial +
                       " partly correct, " + counts.incorrect + " incorrect, " +
                       counts.unanswered + " not answered." +
                       (final ? "" : " The feedback is under each question.")));
  }

  function formatPoints(x) {
    var r = Math.round(x * 100) / 100;
    return String(r);
  }

  function kcQuestion(q, index, locked, outcome) {
    var fs = el("fieldset", { className: "question kc-question kc-" + q.type, id: "kc_" + q.id,
                              "data-type": q.type });
    fs.appendChild(el("legend", null, [
      el("span", { className: "q-number" }, "Question " + (index + 1) + " of " +
         kcQuestions.length + ": "),
      q.prompt
    ]));
    var k;
    var a = answer(q.id);
    var name = "kc_" + q.id;
    function changed() {
      touch(q.id);
      updateKcStatus();
      persist();
    }
    if (q.type === "single" || q.type === "multiple") {
      if (q.type === "multiple" && !/all that apply/i.test(q.prompt)) {
        fs.appendChild(el("p", { className: "hint" }, "Select all that apply."));
      }
      var box = el("div", { className: "choices" });
      for (k = 0; k < q.options.length; k++) {
        (function (opt) {
          var id = name + "_" + opt.id;
          var checked = q.type === "single" ? a === opt.id : !!(a && a.indexOf(opt.id) >= 0);
          box.appendChild(choiceInput(q.type === "single" ? "radio" : "checkbox", name, id,
                                      opt.text, checked, function (ev) {
            if (q.type === "single") {
              state.answers[q.id] = opt.id;
            } else {
              var chosen = [];
              for (var m = 0; m < q.options.length; m++) {
                var input = doc.getElementById(name + "_" + q.options[m].id);
                if (input && input.checked) {
                  chosen.push(q.options[m].id);
                }
              }
              if (chosen.length) {
                state.answers[q.id] = chosen;
              } else {
                delete state.answers[q.id];
              }
            }
            changed();
          }, null, locked));
        }(q.options[k]));
      }
      fs.appendChild(box);
    } else if (q.type === "true-false") {
      fs.appendChild(el("div", { className: "choices choices-inline" }, [
        choiceInput("radio", name, name + "_true", "True", a === true, function () {
          state.answers[q.id] = true;
          changed();
        }, null, locked),
        choiceInput("radio", name, name + "_false", "False", a === false, function () {
          state.answers[q.id] = false;
          changed();
        }, null, locked)
      ]));
    } else if (q.type === "matching") {
      fs.appendChild(matchingControl(q, a, locked, changed));
    } else if (q.type === "ordering") {
      fs.appendChild(orderingControl(q, locked, changed));
    }
    if (locked && outcome) {
      fs.appendChild(feedbackBlock(q, a, outcome));
      fs.className += " status-" + outcome.status;
    }
    return fs;
  }

  function matchingControl(q, a, locked, changed) {
    var answers = matchAnswers(q).slice();
    answers.sort(function (x, y) {
      var c = x.text.toLowerCase() < y.text.toLowerCase() ? -1 :
        (x.text.toLowerCase() > y.text.toLowerCase() ? 1 : 0);
      return c || (x.id < y.id ? -1 : 1);
    });
    var box = el("div", { className: "matches" });
    for (var k = 0; k < q.pairs.length; k++) {
      (function (pair) {
        var id = "kc_" + q.id + "_" + pair.id;
        var select = el("select", { id: id, disabled: !!locked, "data-pair": pair.id });
        select.appendChild(el("option", { value: "" }, "Choose a match\u2026"));
        for (var m = 0; m < answers.length; m++) {
          select.appendChild(el("option", { value: answers[m].id,
                                            selected: !!(a && a[pair.id] === answers[m].id) },
                                answers[m].text));
        }
        select.addEventListener("change", function () {
          var current = answer(q.id) || {};
          var copy = {};
          for (var key in current) {
            if (hasOwn(current, key)) {
              copy[key] = current[key];
            }
          }
          if (select.value) {
            copy[pair.id] = select.value;
          } else {
            delete copy[pair.id];
          }
          var any = false;
          for (key in copy) {
            if (hasOwn(copy, key)) {
              any = true;
            }
          }
          if (any) {
            state.answers[q.id] = copy;
          } else {
            delete state.answers[q.id];
          }
          changed();
        });
        box.appendChild(el("div", { className: "match-row" }, [
          el("label", { htmlFor: id, className: "match-prompt" }, pair.prompt),
          select
        ]));
      }(q.pairs[k]));
    }
    return box;
  }

  function orderingControl(q, locked, changed) {
    var wrap = el("div", { className: "ordering" });
    if (!locked) {
      wrap.appendChild(el("p", { className: "hint", id: "kc_" + q.id + "_help" },
                          "Use the Move up and Move down buttons to put the items in order."));
    }
    var listNode = el("ol", { className: "order-list", id: "kc_" + q.id + "_list" });
    wrap.appendChild(listNode);
    function draw(focusId, focusDir) {
      clear(listNode);
      var order = currentOrder(q);
      for (var k = 0; k < order.length; k++) {
        (function (itemId, pos) {
          var text = itemText(q, itemId);
          var li = el("li", { className: "order-item", "data-item": itemId },
                      el("span", { className: "order-text" }, text));
          if (!locked) {
            var up = el("button", { type: "button", className: "button button-small",
                                    id: "kc_" + q.id + "_" + itemId + "_up",
                                    "aria-label": "Move up: " + text,
                                    "aria-disabled": pos === 0 ? "true" : null },
                        "Move up");
            var down = el("button", { type: "button", className: "button button-small",
                                      id: "kc_" + q.id + "_" + itemId + "_down",
                                      "aria-label": "Move down: " + text,
                                      "aria-disabled": pos === order.length - 1 ? "true" : null },
                          "Move down");
            up.addEventListener("click", function () { move(itemId, -1); });
            down.addEventListener("click", function () { move(itemId, 1); });
            li.appendChild(el("span", { className: "order-buttons" }, [up, down]));
          }
          listNode.appendChild(li);
        }(order[k], k));
      }
      if (focusId) {
        var target = doc.getElementById("kc_" + q.id + "_" + focusId + "_" + focusDir);
        if (target) {
          target.focus();
        }
      }
    }
    function move(itemId, delta) {
      var order = currentOrder(q);
      var pos = order.indexOf(itemId);
      var to = pos + delta;
      var text = itemText(q, itemId);
      if (to < 0 || to >= order.length) {
        announce("\u201c" + text + "\u201d is already " + (to < 0 ? "first." : "last."));
        return;
      }
      order.splice(pos, 1);
      order.splice(to, 0, itemId);
      state.answers[q.id] = order;
      draw(itemId, delta < 0 ? "up" : "down");
      announce("\u201c" + text + "\u201d moved to position " + (to + 1) + " of " +
               order.length + ".");
      changed();
    }
    draw(null, null);
    return wrap;
  }

  var STATUS_TEXT = { correct: "Correct", partial: "Partly correct", incorrect: "Incorrect",
                      unanswered: "Not answered" };

  function feedbackBlock(q, a, outcome) {
    var box = el("div", { className: "feedback status-" + outcome.status,
                          id: "kc_" + q.id + "_feedback", "data-status": outcome.status });
    var label = STATUS_TEXT[outcome.status] || outcome.status;
    if (outcome.status === "partial") {
      label += " (" + Math.round(outcome.score * 100) + "% of the point)";
    }
    box.appendChild(el("p", { className: "feedback-status" }, el("strong", null, label)));
    var k;
    if (q.type === "single" || q.type === "multiple") {
      var ul = el("ul", { className: "option-feedback" });
      for (k = 0; k < q.options.length; k++) {
        var opt = q.options[k];
        var chosen = q.type === "single" ? a === opt.id : !!(a && a.indexOf(opt.id) >= 0);
        if (!chosen && !opt.correct) {
          continue;
        }
        var tag = chosen ? (opt.correct ? "Your answer, correct: " : "Your answer, incorrect: ") :
          "Correct answer you did not choose: ";
        ul.appendChild(el("li", { className: chosen === opt.correct ? "is-right" : "is-wrong" }, [
          el("strong", null, tag), opt.text,
          chosen && opt.feedback ? el("span", { className: "option-note" }, " " + opt.feedback) :
            null
        ]));
      }
      box.appendChild(ul);
    } else if (q.type === "true-false") {
      if (a === true || a === false) {
        var fb = a ? q.true_feedback : q.false_feedback;
        box.appendChild(el("p", null, [el("strong", null, "Your answer: "),
                                       a ? "True" : "False", fb ? ". " + fb : ""]));
      }
      box.appendChild(el("p", null, [el("strong", null, "Correct answer: "),
                                     q.answer ? "True" : "False"]));
    } else if (q.type === "matching" || q.type === "ordering") {
      var key = outcome.status === "unanswered" ? "incorrect" : outcome.status;
      if (q.feedback && q.feedback[key]) {
        box.appendChild(el("p", null, q.feedback[key]));
      }
      if (q.type === "matching") {
        var all = matchAnswers(q);
        var rows = el("ul", { className: "option-feedback" });
        for (k = 0; k < q.pairs.length; k++) {
          var pair = q.pairs[k];
          var given = a && hasOwn(a, pair.id) ? a[pair.id] : null;
          var idx = given ? indexOfId(all, given) : -1;
          var right = given === pair.id;
          rows.appendChild(el("li", { className: right ? "is-right" : "is-wrong" }, [
            el("strong", null, pair.prompt + ": "),
            idx >= 0 ? "you chose \u201c" + all[idx].text + "\u201d" : "no answer",
            right ? " (correct)." : "; the match is \u201c" + pair.match + "\u201d."
          ]));
        }
        box.appendChild(rows);
      } else {
        box.appendChild(el("p", null, el("strong", null, "The correct order:")));
        var correct = [];
        for (k = 0; k < q.items.length; k++) {
          correct.push(q.items[k].text);
        }
        box.appendChild(list("ol", correct, "correct-order"));
      }
    }
    box.appendChild(el("div", { className: "explanation" },
                       [el("p", null, el("strong", null, "Explanation")),
                        paragraphs(q.explanation)]));
    return box;
  }

  function submitKnowledge() {
    if (has(FLAG_SUBMITTED)) {
      return;
    }
    var k, q;
    for (k = 0; k < kcQuestions.length; k++) {
      q = kcQuestions[k];
      if (q.type === "ordering" && !isAnswered(q)) {
        state.answers[q.id] = currentOrder(q);  /* the order shown is the answer */
      }
    }
    var result = grade();
    for (k = 0; k < kcQuestions.length; k++) {
      q = kcQuestions[k];
      var outcome = result.questions[k];
      if (!isAnswered(q) || outcome.status === "unanswered") {
        continue;
      }
      var res = outcome.status === "correct" ? "correct" :
        (outcome.status === "partial" ? outcome.score : "incorrect");
      record(q.id, knowledgeResponse(q, answer(q.id)), res);
    }
    state.flags |= FLAG_SUBMITTED;
    reportGrade(result);
    persist();
    render(false);
    var box = $("kc-result");
    if (box) {
      box.focus();
    }
    announce("Answers submitted. Your score is " + result.percent + "%: " +
             (result.passed ? "passed." : "not passed yet."));
  }

  function renderNextSteps() {
    var g = course.guidance;
    var s = screenSection("next-steps", g.first_steps.heading, null);
    append(s, paragraphs(g.first_steps.intro));
    var fs = el("fieldset", { className: "question checklist", id: "first-steps" });
    fs.appendChild(el("legend", null, "Your first steps (a checklist for you: it is not saved " +
                                      "or graded)"));
    for (var k = 0; k < g.first_steps.steps.length; k++) {
      fs.appendChild(choiceInput("checkbox", "step_" + k, "step_" + k, g.first_steps.steps[k],
                                 false, function () {}));
    }
    s.appendChild(fs);
    s.appendChild(heading(2, g.continuous_growth.heading));
    append(s, paragraphs(g.continuous_growth.intro));
    s.appendChild(list("ul", g.continuous_growth.habits));
    s.appendChild(heading(2, "Closing advice"));
    append(s, paragraphs(g.closing));
    if (course.attribution && course.attribution.note) {
      s.appendChild(el("div", { className: "aside" }, [heading(2, "From the source"),
                                                        paragraphs(course.attribution.note)]));
    }
    return s;
  }

  function statusLine() {
    if (has(FLAG_SUBMITTED)) {
      var g = grade();
      return "Knowledge check: " + g.percent + "% (pass mark " + g.mastery + "%), " +
        (g.passed ? "passed." : "not passed.");
    }
    return "You have not submitted the knowledge check.";
  }

  function resultsSummary(container) {
    container.appendChild(heading(2, "Your recommendation"));
    container.appendChild(recommendationBlock(recommendation(), 3));
    container.appendChild(heading(2, "Knowledge check"));
    if (has(FLAG_SUBMITTED)) {
      var box = el("div", { className: "kc-result", id: "kc-result" });
      fillResult(box, grade(), readOnly);
      box.removeChild(box.firstChild);  /* its own "Your result" heading */
      container.appendChild(box);
    } else {
      container.appendChild(el("p", { id: "kc-score" }, "You have not submitted the " +
                               "knowledge check, so the course is recorded as not complete."));
    }
  }

  function renderFinish() {
    var s = screenSection("finish", readOnly ? "Your results" : "Finish the course", null);
    if (readOnly) {
      s.appendChild(el("p", { className: "lead", id: "finish-status" },
                       "You have finished this course. Here are your results (read only)."));
      resultsSummary(s);
      var actions = el("div", { className: "actions" });
      if (lmsMode !== "normal") {
        /* review and browse: the LMS shows the attempt, it does not let it change */
        actions.appendChild(el("p", null, "Nothing you do here is recorded: your recorded " +
                               "results stay as they are."));
      } else if (!connected || !ended) {
        actions.appendChild(el("p", null, "Want to go through the course again? Retake it: " +
                               "your answers are cleared, and a result already recorded is " +
                               "kept."));
        actions.appendChild(button("btn-retake", "Retake the course", "button-primary", retake));
      } else {
        actions.appendChild(el("p", null, "Your results are recorded. You can close this " +
                               "window now."));
      }
      s.appendChild(actions);
      return s;
    }
    s.appendChild(el("p", { className: "lead" }, lmsMode === "normal" ?
                     "Review your results, then select Finish to record them. You can come " +
                     "back to earlier pages with Back first." :
                     "Review your results, then select Finish. In this mode nothing is " +
                     "recorded. You can come back to earlier pages with Back first."));
    resultsSummary(s);
    if (!has(FLAG_SUBMITTED)) {
      s.appendChild(el("p", null, button("btn-goto-kc", "Go to the knowledge check",
                                         "button-secondary", function () {
        go(SCREEN["knowledge-check"]);
      })));
    }
    s.appendChild(el("div", { className: "actions" },
                     button("btn-finish", "Finish", "button-primary", finishCourse)));
    return s;
  }

  function finishCourse() {
    state.flags |= FLAG_FINISHED;
    readOnly = true;
    reportProgress();
    save();
    if (connected && !ended) {
      ended = true;
      runtime.finish(true);
    }
    render(true);
    announce("Course finished. " + statusLine());
  }

  function retake() {
    settled = false;  /* from here on this session reports, as any other */
    state.answers = {};
    state.flags &= ~(FLAG_SUBMITTED | FLAG_FINISHED);
    state.screen = SCREEN["self-discovery"];
    readOnly = false;
    recorded = {};
    latency = {};
    walkPath = [];
    objectivesWritten = "";
    if (reporting()) {
      runtime.setStatus("incomplete");  /* never lowers a status already reported */
    }
    go(state.screen, true);
    notice("Your answers were cleared. A result already recorded is kept.", "info");
  }

  function resetProgress() {
    storageSet(null);
    state = freshState();
    readOnly = false;
    recorded = {};
    latency = {};
    walkPath = [];
    maxScreen = 0;
    lastSaved = null;
    go(0, true);
    notice("Your progress was reset.", "info");
  }

  /* What the LMS holds for this attempt, in words ("" when it said nothing). */
  function recordedText() {
    var st = lmsStatus || {};
    var words = st.success === "passed" ? "passed" :
      (st.success === "failed" ? "not passed" :
       (st.completion === "completed" ? "completed" : ""));
    if (!words) {
      return "";
    }
    var score = reportedScore === null ? "" :
      ", with a score of " + Math.round(reportedScore * 100) + "%";
    return "Your learning system has this attempt recorded as " + words + score + ".";
  }

  /* Review mode without a state: the LMS opened a finished attempt but handed back
   * none of its data (Moodle does so for a SCORM 2004 attempt that ended with
   * exit = normal). A fresh course here would look like a lost result, so say
   * what happened instead (docs/scorm-package.md, "Review and browse modes"). */
  function renderComplete() {
    var s = screenSection("attempt-complete", "This attempt is complete", null);
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

  /* A banner under the header on every screen: in review and browse modes the course
   * looks the same as ever, so say plainly that nothing is recorded. It sits in the
   * header (a landmark) and is static text: it is read before the first screen. */
  function showModeBanner() {
    var header = doc.querySelector(".site-header");
    if (!header || $("mode-banner")) {
      return;
    }
    var review = lmsMode === "review";
    header.appendChild(el("div", { className: "mode-banner", id: "mode-banner",
                                   "data-mode": lmsMode },
      el("div", { className: "mode-banner-inner" },
         el("p", null, [el("strong", null, review ? "Review mode." : "Browse mode."), " ",
                        review ? "Your learning system opened this attempt for review: " +
                                 "nothing you do here is recorded, and your recorded " +
                                 "results stay as they are." :
                                 "Your learning system opened the course for browsing: " +
                                 "nothing you do here is recorded or saved."]))));
  }

  /* ------------------------------------------------------------ navigation */

  var RENDER = {
    "welcome": renderWelcome,
    "self-discovery": renderSelfDiscovery,
    "starting-point": renderStartingPoint,
    "recommendation": renderRecommendation,
    "tracks": renderTracks,
    "decision-tree": renderWalk,
    "future": renderFuture,
    "knowledge-check": renderKnowledge,
    "next-steps": renderNextSteps,
    "finish": renderFinish
  };

  function render(focus) {
    var main = $("main");
    var screen = SCREENS[state.screen];
    var done = readOnly || attemptComplete;
    clear(main);
    kcStatus = null;
    main.appendChild(attemptComplete ? renderComplete() : RENDER[screen.id]());
    shownAt = new Date().getTime();
    var label = attemptComplete ? "This attempt is complete" :
      (readOnly ? "Your results" : screen.label);
    doc.title = label + " \u2013 " + course.title;
    var progressText = $("progress-text");
    var fill = $("progress-fill");
    if (progressText) {
      progressText.textContent = attemptComplete ? "Attempt complete" :
        (readOnly ? "Course finished" :
         "Step " + (state.screen + 1) + " of " + SCREENS.length + ": " + screen.label);
    }
    if (fill) {
      fill.style.width = (done ? 100 : Math.round(100 * (state.screen + 1) / SCREENS.length)) + "%";
    }
    var nav = $("course-nav");
    var back = $("btn-back");
    var next = $("btn-next");
    nav.hidden = done;
    back.hidden = state.screen === 0;
    next.hidden = state.screen === SCREENS.length - 1;
    next.textContent = state.screen === 0 ? "Start" : "Next";
    if (focus) {
      var h = $("screen-heading");
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

  function leave(from) {
    if (from === SCREEN["self-discovery"]) {
      recordSelfDiscovery();
    } else if (from === SCREEN["starting-point"]) {
      recordTree();
    }
  }

  function go(index, force) {
    index = Math.max(0, Math.min(SCREENS.length - 1, index));
    if (index === state.screen && !force) {
      return;
    }
    leave(state.screen);
    clearNotices();
    state.screen = index;
    reportProgress();
    render(true);
    persist();
  }

  function next() {
    if (state.screen === SCREEN["starting-point"] && !treeComplete(state.answers)) {
      var error = $("tree-error");
      var path = treePath(state.answers);
      var missing = path.length ? nodeById[path[path.length - 1].optionObj.next] :
        nodeById[tree.start];
      if (error) {
        error.textContent = "Please answer \u201c" + (missing ? missing.prompt : "") +
          "\u201d to continue.";
        error.hidden = false;
      }
      var first = missing ? doc.getElementById("tree_" + missing.id + "_" +
                                                missing.options[0].id) : null;
      if (first) {
        var fs = doc.getElementById("q_" + missing.id);
        var described = fs ? (fs.getAttribute("aria-describedby") || "") : "";
        if (fs && described.indexOf("tree-error") < 0) {
          fs.setAttribute("aria-describedby", (described + " tree-error").replace(/^ /, ""));
        }
        first.focus();
      }
      announce(error ? error.textContent : "");
      return;
    }
    go(state.screen + 1);
  }

  /* ------------------------------------------------------------ start-up */

  function fillFooter() {
    var src = course.attribution || {};
    var attribution = $("attribution");
    if (attribution) {
      var parts = ["Source: \u201c" + (src.title || course.title) + "\u201d"];
      if (src.author) {
        parts.push(" by " + src.author);
      }
      if (src.publisher && src.publisher !== src.author) {
        parts.push(", " + src.publisher);
      } else if (src.publisher && !src.author) {
        parts.push(", " + src.publisher);
      }
      parts.push(".");
      attribution.textContent = parts.join("");
    }
    var disclaimer = $("disclaimer");
    if (disclaimer && src.disclaimer) {
      disclaimer.textContent = src.disclaimer;
    }
  }

  function onLeave() {
    if (ended) {
      return;
    }
    save();
    if (connected) {
      ended = true;
      runtime.finish(!settled);  /* only looked at the results: no session time */
    }
  }

  function start() {
    fillFooter();
    var info = runtime && runtime.start ? runtime.start(function (text) {
      notice(text, "error");
    }) : { connected: false };
    connected = !!info.connected;
    lmsMode = connected && info.mode ? info.mode : "normal";
    lmsStatus = connected ? info.status : null;
    var saved = connected ? info.state : storageGet();
    var usable = false;
    /* In review mode the course shows what was saved or nothing: it never restarts. */
    var otherwise = lmsMode === "review" ? "so its answers cannot be shown." :
      "so it starts again from the beginning.";
    if (saved) {
      var restored = decodeState(saved);
      if (restored) {
        state = restored;
        usable = true;
        if (state.screen >= SCREENS.length) {
          state.screen = SCREENS.length - 1;
        }
      } else if (/^p1\|/.test(saved) && saved.split("|")[1] !== SC.stateVersion) {
        notice("This course has been updated since your last visit (your progress was " +
               "saved by version " + saved.split("|")[1] + ", this is version " +
               SC.stateVersion + "), " + otherwise, "warning");
      } else {
        notice("Your saved progress could not be read, " + otherwise, "warning");
      }
    }
    if (connected) {
      state.interactions = Math.max(state.interactions, info.interactions || 0);
      reportedScore = info.score === null || info.score === undefined ? null : info.score;
      reportedSuccess = info.status ? info.status.success : "unknown";
    }
    maxScreen = state.screen;
    if (state.screen > SCREEN["self-discovery"]) {
      for (var k = 0; k < sdQuestions.length; k++) {
        var a = answer(sdQuestions[k].id);
        if (a === true || a === false) {
          recorded[sdQuestions[k].id] = tfResponse(sdQuestions[k].id, a);
        }
      }
    }
    if (state.screen > SCREEN["starting-point"]) {
      var path = treePath(state.answers);
      for (k = 0; k < path.length; k++) {
        recorded[path[k].node] = QS[path[k].node].tokens[path[k].option];
      }
    }
    readOnly = has(FLAG_FINISHED);
    if (readOnly) {
      state.screen = SCREEN.finish;
      settled = connected;
    }
    attemptComplete = lmsMode === "review" && !usable;
    if (reporting()) {
      runtime.setStatus("incomplete");  /* never lowers a status already reported */
    } else if (!connected) {
      var tools = $("header-tools");
      if (tools) {
        tools.appendChild(el("p", { className: "mode-note" }, "Standalone mode: your " +
                             "progress is kept in this browser."));
        tools.appendChild(button("btn-reset", "Reset progress", "button-secondary button-small",
                                 resetProgress));
      }
    }
    if (lmsMode !== "normal") {
      showModeBanner();
    }
    $("btn-back").addEventListener("click", function () {
      go(state.screen - 1);
    });
    $("btn-next").addEventListener("click", next);
    reportProgress();
    render(false);
    persist();
    if (usable && state.screen > 0 && !readOnly) {
      notice("Welcome back: you are continuing where you left off.", "info");
    }
    win.addEventListener("pagehide", onLeave);
    doc.addEventListener("visibilitychange", function () {
      if (doc.visibilityState === "hidden" && !ended) {
        persist();
      }
    });
  }

  win.pmkitApp = {
    encodeState: encodeState,
    decodeState: decodeState,
    worstCaseState: worstCaseState,
    state: function () {
      return JSON.parse(JSON.stringify(state));
    },
    screens: function () {
      var out = [];
      for (var k = 0; k < SCREENS.length; k++) {
        out.push(SCREENS[k].id);
      }
      return out;
    },
    go: function (id) {
      go(typeof id === "number" ? id : SCREEN[id]);
    }
  };

  try {
    start();
  } catch (e) {
    var main = $("main");
    if (main) {
      clear(main);
      main.appendChild(el("p", { className: "error-message" }, "The course could not start: " +
                          String(e && e.message ? e.message : e)));
    }
    if (win.console && win.console.error) {
      win.console.error(e);
    }
  }
}(window, document));
