/*
 * app-tree.js - the decision tree's logic: which path the learner's answers
 * take, whether it ends on a track, which question comes next, and the
 * "Decision tree" screen's journey: the learner's own path, where every other
 * answer leads, and explorations that leave the path. Pure functions of the
 * course and the answers given (no DOM, no LMS), so tests/js/ checks them under
 * Node.
 *
 * Every loop is bounded by the number of nodes: the content rules forbid
 * cycles, but a package must never hang a learner's browser if one slipped
 * through.
 */

/**
 * @typedef {Object} TreeStep   one answered node on the path
 * @property {string} node
 * @property {string} option
 * @property {TreeNode} nodeObj
 * @property {TreeOption} optionObj
 */

/**
 * @typedef {Object} Walk   where an exploration's choices lead
 * @property {string[]} choices   the valid prefix of the choices given
 * @property {{node: TreeNode, option: TreeOption}[]} trail
 * @property {TreeNode|null} node   the node to answer next (null at an outcome)
 * @property {{option: TreeOption, track: Track|null}|null} outcome
 */

/**
 * @typedef {Object} Branch   one answer of a node and where it leads
 * @property {TreeOption} option
 * @property {TreeNode|null} next    the follow-up question, when it leads to one
 * @property {Track|null} track      the track, when it ends on one
 */

/**
 * @typedef {Object} JourneyStep   one step of the learner's own path
 * @property {TreeNode} node
 * @property {TreeOption} option    the learner's answer
 * @property {Branch[]} others      the node's other answers, in course order
 *
 * @typedef {Object} Journey
 * @property {JourneyStep[]} steps
 * @property {Branch|null} end      where the learner's path ends (null: unfinished)
 */

/* global PmkitCourse */
/* exported PmkitTree */
var PmkitTree = (function (C) {
  "use strict";

  var tree = C.tree;
  var nodes = C.nodes;
  var nodeById = C.nodeById;
  var hasOwn = C.hasOwn;

  /** @param {string|null} id  @returns {TreeNode|null} */
  function nodeOf(id) {
    return id !== null && hasOwn(nodeById, id) ? nodeById[id] : null;
  }

  /* The path the answers take from the start node, up to the first unanswered
   * node or the option that ends on a track. */
  /** @param {Object<string, *>} answers  @returns {TreeStep[]} */
  function path(answers) {
    var steps = [];
    var node = nodeOf(tree.start);
    var guard = 0;
    while (node && guard < nodes.length + 1) {
      guard += 1;
      var chosen = hasOwn(answers, node.id) ? answers[node.id] : null;
      var idx = C.indexOfId(node.options, chosen);
      if (idx < 0) {
        break;
      }
      var option = node.options[idx];
      steps.push({ node: node.id, option: option.id, optionObj: option, nodeObj: node });
      if (option.track) {
        break;
      }
      node = option.next ? nodeOf(option.next) : null;
    }
    return steps;
  }

  /** True when the answers lead all the way to a track. */
  /** @param {Object<string, *>} answers */
  function complete(answers) {
    var steps = path(answers);
    return steps.length > 0 && !!steps[steps.length - 1].optionObj.track;
  }

  /* The nodes the starting-point screen shows: those on the path, then the
   * first one still to answer (none once a track is reached). */
  /** @param {Object<string, *>} answers  @returns {TreeNode[]} */
  function shown(answers) {
    var steps = path(answers);
    var out = [];
    for (var k = 0; k < steps.length; k++) {
      out.push(steps[k].nodeObj);
    }
    var after = missing(answers);
    if (after) {
      out.push(after);
    }
    return out;
  }

  /* The node the learner has to answer next, or null when the path ends on a
   * track (or leads nowhere). */
  /** @param {Object<string, *>} answers  @returns {TreeNode|null} */
  function missing(answers) {
    var steps = path(answers);
    if (!steps.length) {
      return nodeOf(tree.start);
    }
    var last = steps[steps.length - 1].optionObj;
    if (last.track || steps.length > nodes.length) {
      return null;
    }
    return last.next ? nodeOf(last.next) : null;
  }

  /* Drop, from `answers`, the answers of nodes the path no longer visits (the
   * learner changed an earlier answer). Returns the ids dropped. */
  /** @param {Object<string, *>} answers  @returns {string[]} */
  function prune(answers) {
    var steps = path(answers);
    /** @type {Object<string, boolean>} */
    var on = {};
    var dropped = [];
    var k;
    for (k = 0; k < steps.length; k++) {
      on[steps[k].node] = true;
    }
    for (k = 0; k < nodes.length; k++) {
      if (!on[nodes[k].id] && hasOwn(answers, nodes[k].id)) {
        delete answers[nodes[k].id];
        dropped.push(nodes[k].id);
      }
    }
    return dropped;
  }

  /* The "Decision tree" screen's walk: option ids chosen one node after the
   * other from the start, independent of the learner's recorded answers. A
   * choice that is not an option of its node ends the walk there. */
  /** @param {string[]} choices  @returns {Walk} */
  function walk(choices) {
    var node = nodeOf(tree.start);
    var trail = [];
    var outcome = null;
    var valid = choices.slice();
    for (var k = 0; k < choices.length && node; k++) {
      var option = node.options[C.indexOfId(node.options, choices[k])];
      if (!option) {
        valid = choices.slice(0, k);
        break;
      }
      trail.push({ node: node, option: option });
      if (option.track) {
        outcome = { option: option,
                    track: hasOwn(C.trackById, option.track) ? C.trackById[option.track] : null };
        node = null;
      } else {
        node = nodeOf(option.next);
      }
    }
    return { choices: valid, trail: trail, node: node, outcome: outcome };
  }

  /** @param {TreeOption} option  @returns {Branch} */
  function branch(option) {
    return { option: option, next: option.track ? null : nodeOf(option.next),
             track: option.track && hasOwn(C.trackById, option.track) ?
               C.trackById[option.track] : null };
  }

  /* The "Decision tree" screen starts from the learner's own answers: the path
   * they took, step by step, with where every other answer would have led. */
  /** @param {Object<string, *>} answers  @returns {Journey} */
  function journey(answers) {
    var steps = path(answers);
    var out = [];
    for (var k = 0; k < steps.length; k++) {
      var others = [];
      for (var m = 0; m < steps[k].nodeObj.options.length; m++) {
        if (steps[k].nodeObj.options[m].id !== steps[k].option) {
          others.push(branch(steps[k].nodeObj.options[m]));
        }
      }
      out.push({ node: steps[k].nodeObj, option: steps[k].optionObj, others: others });
    }
    var last = steps.length ? steps[steps.length - 1].optionObj : null;
    return { steps: out, end: last && last.track ? branch(last) : null };
  }

  /* Where an exploration (`choices`, from the start node, as walk() takes them)
   * leaves the learner's path: the index of its first choice that differs, or
   * -1 when it follows the path all along. */
  /** @param {Object<string, *>} answers  @param {string[]} choices */
  function departure(answers, choices) {
    var steps = path(answers);
    for (var k = 0; k < choices.length; k++) {
      if (k >= steps.length || steps[k].option !== choices[k]) {
        return k;
      }
    }
    return -1;
  }

  /* An exploration that answers `optionId` at step `at` of the learner's path
   * instead: the path's choices before it, then that answer. */
  /** @param {Object<string, *>} answers  @param {number} at  @param {string} optionId */
  function leaveAt(answers, at, optionId) {
    var steps = path(answers);
    var choices = [];
    for (var k = 0; k < at && k < steps.length; k++) {
      choices.push(steps[k].option);
    }
    choices.push(optionId);
    return choices;
  }

  return {
    branch: branch,
    journey: journey,
    departure: departure,
    leaveAt: leaveAt,
    path: path,
    complete: complete,
    shown: shown,
    missing: missing,
    prune: prune,
    walk: walk
  };
}(PmkitCourse));
