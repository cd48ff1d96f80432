/*
 * app-report.js - what the course reports to the LMS and when: answers as
 * interactions, the recommendation as objectives, the knowledge check's status
 * and score (never lowered), progress (docs/scorm-package.md, "What the
 * package reports"). Also the scorers' results, which decide what is reported.
 * Every write goes through PmkitRuntime, and only while the session reports.
 */

/* global PmkitCourse, PmkitCodec, PmkitSession, PmkitTree */
/* exported PmkitReport */
var PmkitReport = (function (win, C, Codec, S, Tree) {
  "use strict";

  var P = C.pkg;
  var QS = C.questions;
  var FLAGS = Codec.FLAGS;
  var now = S.now;

  /* The options a twin runs with: the course's values for that scorer (the ones
   * `pmkit score` uses), with the package's pass mark. */
  /** @param {string} kind  @returns {Object<string, *>} */
  function scorerOptions(kind) {
    var given = (P.scorerOptions && P.scorerOptions[kind]) || {};
    /** @type {Object<string, *>} */
    var out = {};
    for (var key in given) {
      if (C.hasOwn(given, key)) {
        out[key] = given[key];
      }
    }
    out.mastery = P.mastery;
    return out;
  }

  /** @returns {Recommendation} */
  function recommendation() {
    return win.pmkitScorers.get(P.scorers.recommendation)(P.scoring, now.state.answers,
                                                          scorerOptions("recommendation"));
  }

  /** @returns {Grade} */
  function grade() {
    return win.pmkitScorers.get(P.scorers.grade)(P.scoring, now.state.answers,
                                                 scorerOptions("grade"));
  }

  /* One interaction, appended; the count lives in the state because SCORM 1.2
   * interactions are write-only. */
  /** @param {string} qid  @param {string} response  @param {string|number} result */
  function record(qid, response, result) {
    if (now.state.interactions >= Codec.MAX_COUNT || !C.hasOwn(QS, qid)) {
      return;
    }
    if (S.reporting()) {
      win.PmkitRuntime.recordInteraction(now.state.interactions, QS[qid], response, result,
                                         now.latency[qid] || 0, new Date());
    }
    now.state.interactions += 1;
  }

  /** @param {string} qid  @param {boolean} value */
  function tfResponse(qid, value) {
    return QS[qid].tokens[value ? "true" : "false"];
  }

  /* Record a neutral answer unless this session already recorded the same response. */
  /** @param {string} id  @param {string} response */
  function recordOnce(id, response) {
    if (now.recorded[id] !== response) {
      record(id, response, "neutral");
      now.recorded[id] = response;
    }
  }

  /* Self-discovery answers, when leaving that screen: the ones not yet recorded. */
  function recordSelfDiscovery() {
    for (var k = 0; k < C.sdQuestions.length; k++) {
      var id = C.sdQuestions[k].id;
      var a = S.answer(id);
      if (a === true || a === false) {
        recordOnce(id, tfResponse(id, a));
      }
    }
  }

  /* Decision-tree answers on the learner's path, when leaving the starting point. */
  function recordTree() {
    var path = Tree.path(now.state.answers);
    for (var k = 0; k < path.length; k++) {
      recordOnce(path[k].node, QS[path[k].node].tokens[path[k].option]);
    }
  }

  /* A relaunch past these screens: their answers were recorded in an earlier
   * session, so leaving them again records only what changes. */
  function rememberRecorded() {
    var k;
    if (now.state.screen > C.SCREEN["self-discovery"]) {
      for (k = 0; k < C.sdQuestions.length; k++) {
        var a = S.answer(C.sdQuestions[k].id);
        if (a === true || a === false) {
          now.recorded[C.sdQuestions[k].id] = tfResponse(C.sdQuestions[k].id, a);
        }
      }
    }
    if (now.state.screen > C.SCREEN["starting-point"]) {
      var path = Tree.path(now.state.answers);
      for (k = 0; k < path.length; k++) {
        now.recorded[path[k].node] = QS[path[k].node].tokens[path[k].option];
      }
    }
  }

  /* The learner's answer as the LMS response: tokens joined (docs/scorm-package.md). */
  /** @param {KcQuestion} q  @param {*} a  @returns {string} */
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
        if (target !== undefined && C.hasOwn(meta.targets, target)) {
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

  /* Knowledge-check answers on Submit: the answered ones, with their result. */
  /** @param {Grade} result */
  function recordKnowledge(result) {
    for (var k = 0; k < C.kcQuestions.length; k++) {
      var q = C.kcQuestions[k];
      var outcome = result.questions[k];
      if (!isAnswered(q) || outcome.status === "unanswered") {
        continue;
      }
      var res = outcome.status === "correct" ? "correct" :
        (outcome.status === "partial" ? outcome.score : "incorrect");
      record(q.id, knowledgeResponse(q, S.answer(q.id)), res);
    }
  }

  /* Whether the learner gave an answer (an empty choice or match is none). */
  /** @param {KcQuestion} q */
  function isAnswered(q) {
    var a = S.answer(q.id);
    if (a === undefined || a === null) {
      return false;
    }
    if (q.type === "multiple") {
      return a.length > 0;
    }
    if (q.type === "matching") {
      for (var key in a) {
        if (C.hasOwn(a, key)) {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  /* The track shares as objectives, when they changed since last written. */
  /** @param {Recommendation} rec */
  function writeObjectives(rec) {
    var shares = [];
    var sig = [];
    for (var k = 0; k < rec.tracks.length; k++) {
      shares.push({ id: rec.tracks[k].track, share: rec.tracks[k].share });
      sig.push(rec.tracks[k].track + "=" + rec.tracks[k].share);
    }
    if (sig.join(",") === now.objectivesWritten || !S.reporting()) {
      return;
    }
    win.PmkitRuntime.setObjectives(shares);
    now.objectivesWritten = sig.join(",");
  }

  /* The knowledge check's result to the LMS: status and score, never lowered. */
  /** @param {Grade} result */
  function reportGrade(result) {
    var scaled = result.percent / 100;  /* the whole percent that decides pass/fail */
    var passedBefore = now.reportedSuccess === "passed" || S.has(FLAGS.PASSED);
    if (result.passed) {
      now.state.flags |= FLAGS.PASSED;
    } else if (!passedBefore) {
      now.state.flags |= FLAGS.FAILED;
    }
    if (!S.reporting()) {
      return;
    }
    var status = win.PmkitRuntime.setStatus(result.passed ? "passed" : "failed");
    var better = now.reportedScore === null || (result.passed && !passedBefore) ||
      (scaled > now.reportedScore && (result.passed || !passedBefore));
    if (better) {
      win.PmkitRuntime.setScore(scaled);
      now.reportedScore = scaled;
    }
    now.reportedSuccess = status && status.success ? status.success : now.reportedSuccess;
  }

  function reportProgress() {
    if (now.state.screen > now.maxScreen) {
      now.maxScreen = now.state.screen;
    }
    if (S.reporting()) {
      win.PmkitRuntime.setProgress(S.has(FLAGS.FINISHED) ? 1 :
                                   Math.min(1, now.maxScreen / (C.SCREENS.length - 1)));
    }
  }

  return {
    recommendation: recommendation,
    grade: grade,
    isAnswered: isAnswered,
    recordSelfDiscovery: recordSelfDiscovery,
    recordTree: recordTree,
    recordKnowledge: recordKnowledge,
    rememberRecorded: rememberRecorded,
    writeObjectives: writeObjectives,
    reportGrade: reportGrade,
    reportProgress: reportProgress
  };
}(window, PmkitCourse, PmkitCodec, PmkitSession, PmkitTree));
