/*
 * pmkit-scoring.js - the browser twin of pmkit's four built-in scorers:
 * "weighted" and "decision-tree" (recommendation), "partial-credit" and
 * "all-or-nothing" (grade).
 *
 * This is a line-by-line port of plugins/pmkit_builtins/scoring/algorithms.py
 * and must return exactly what that module returns (as JSON) for the same
 * scoring table and answers: same order of operations, integers only until
 * the final division, same key order in every object. tests/test_scoring_parity.py
 * runs both over every answer set of the bundled course; change them together.
 *
 * It is a classic script, not an ES module (docs/decisions.md §14): pages opened from
 * a local folder (file://) cannot load modules, and LMSs serve unknown
 * extensions badly. It registers itself on the global
 * `pmkitScorers.register(name, fn)`, where fn(table, answers, options) takes
 * the scoring table embedded in the page. It also runs under Node, loaded
 * with require() or vm.runInThisContext(). ES5 syntax only, no dependencies.
 */
(function (outerThis) {
  "use strict";

  var root = (typeof globalThis !== "undefined") ? globalThis
    : (typeof window !== "undefined" ? window : outerThis);

  /* ------------------------------------------------------------ registry */

  function makeRegistry() {
    var fns = {};
    var order = [];
    return {
      /* Register (or replace) the scorer `name`; fn(table, answers, options). */
      register: function (name, fn) {
        if (typeof name !== "string" || name === "") {
          throw new Error("pmkitScorers.register: the name must be a non-empty string");
        }
        if (typeof fn !== "function") {
          throw new Error("pmkitScorers.register: the scorer \"" + name + "\" must be a function");
        }
        if (!Object.prototype.hasOwnProperty.call(fns, name)) {
          order.push(name);
        }
        fns[name] = fn;
      },
      /* The scorer registered as `name`; throws for an unknown name. */
      get: function (name) {
        if (!Object.prototype.hasOwnProperty.call(fns, name)) {
          throw new Error("pmkitScorers: no scorer named \"" + name + "\" is registered" +
                          " (registered: " + (order.length ? order.join(", ") : "none") + ")");
        }
        return fns[name];
      },
      /* The registered names, in registration order. */
      names: function () {
        return order.slice();
      }
    };
  }

  var registry = root.pmkitScorers = root.pmkitScorers || makeRegistry();

  /* ---------------------------------------------------- Python semantics */

  var SCORE_UNITS = 26771144400;      /* lcm(1..26): every pmkit fraction is exact */
  var PERCENT_UNITS = SCORE_UNITS / 100;

  function hasOwn(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  /* Python's mapping.get(key): None (here null) when absent, never inherited. */
  function get(obj, key) {
    if (key === null || key === undefined || !hasOwn(obj, key)) {
      return null;
    }
    var value = obj[key];
    return value === undefined ? null : value;
  }

  /* Python's `x == y` where y is a str or a bool (every comparison below):
   * a str equals only an equal str; a bool equals itself and 1/0 (True == 1). */
  function pyEquals(x, y) {
    if (typeof y === "boolean" && typeof x === "number") {
      return x === (y ? 1 : 0);
    }
    if (typeof x === "boolean" && typeof y === "number") {
      return y === (x ? 1 : 0);
    }
    return x === y;
  }

  /* Python's `x in list` for a list of str/bool. */
  function pyIn(x, list) {
    for (var i = 0; i < list.length; i++) {
      if (pyEquals(x, list[i])) {
        return true;
      }
    }
    return false;
  }

  function keys(obj) {
    var out = [];
    for (var k in obj) {
      if (hasOwn(obj, k)) {
        out.push(k);
      }
    }
    return out;
  }

  /* Python's a // b for integers (exact: no float quotient is floored). */
  function idiv(a, b) {
    if (b === 0) {
      throw new Error("integer division or modulo by zero");
    }
    var r = a % b;
    if (r !== 0 && (r < 0) !== (b < 0)) {
      r += b;
    }
    return (a - r) / b;
  }

  /* pmkit.scoring.percent_of: divide, never multiply the total by 100 (2**53). */
  function percentOf(totalUnits, questions) {
    if (questions <= 0) {
      return 0;
    }
    var perPercent = questions * PERCENT_UNITS;
    var remainder = totalUnits % perPercent;
    return (totalUnits - remainder) / perPercent + (2 * remainder >= perPercent ? 1 : 0);
  }

  /* pmkit.scoring.reaches: pass/fail on the same whole percent that is shown. */
  function reaches(percent, mastery) {
    return percent >= mastery;
  }

  /* pmkit.scoring.share_percent: points of total as a whole percent, half up. */
  function shareInt(points, total) {
    if (total <= 0) {
      return 0;
    }
    return idiv(200 * points + total, 2 * total);
  }

  /* pmkit.scoring.units: a fraction of a question in SCORE_UNITS, half up, clamped. */
  function units(numerator, denominator) {
    numerator = Math.max(0, Math.min(numerator, denominator));
    return idiv(2 * numerator * SCORE_UNITS + denominator, 2 * denominator);
  }

  function checkMapping(answers) {
    if (answers === null || typeof answers !== "object" ||
        Object.prototype.toString.call(answers) === "[object Array]") {
      throw new TypeError("answers must be a mapping of question id to answer");
    }
  }

  /* ------------------------------------------------------ recommendation */

  /* The decision-tree path the answers take, and the track it ends in. */
  function walkTree(table, answers) {
    var nodes = {};
    var list = table.decision_tree.nodes;
    for (var i = 0; i < list.length; i++) {
      nodes[list[i].id] = list[i];
    }
    var node = get(nodes, table.decision_tree.start);
    var path = [];
    while (node !== null) {
      var chosen = get(answers, node.id);
      var option = null;
      for (var j = 0; j < node.options.length; j++) {
        if (pyEquals(node.options[j].id, chosen)) {
          option = node.options[j];
          break;
        }
      }
      if (option === null) {
        return { path: path, outcome: null };
      }
      path.push({ node: node.id, option: option.id, points: option.points,
                  track: option.track });
      if (option.track !== null && option.track !== undefined) {
        return { path: path, outcome: option.track };
      }
      node = get(nodes, option.next);
    }
    return { path: path, outcome: null };
  }

  function positive(points) {
    var out = {};
    var names = keys(points);
    for (var i = 0; i < names.length; i++) {
      if (points[names[i]] > 0) {
        out[names[i]] = points[names[i]];
      }
    }
    return out;
  }

  function addPoints(points, added) {
    var names = keys(added);
    for (var i = 0; i < names.length; i++) {
      if (!hasOwn(points, names[i])) {
        throw new Error("unknown track " + JSON.stringify(names[i]));
      }
      points[names[i]] += added[names[i]];
    }
  }

  /* "weighted" (self-discovery + decision-tree points) or "decision-tree" (the path). */
  function recommend(table, answers, scorer) {
    checkMapping(answers);
    var tracks = table.tracks;
    var points = {};
    var i, t;
    for (i = 0; i < tracks.length; i++) {
      points[tracks[i]] = 0;
    }
    var contributions = [];
    var added;
    if (scorer === "weighted") {
      for (i = 0; i < table.self_discovery.length; i++) {
        var q = table.self_discovery[i];
        added = positive(q.points);
        if (get(answers, q.id) === true && keys(added).length > 0) {
          addPoints(points, added);
          contributions.push({ question: q.id, answer: true, points: added });
        }
      }
    }
    var walked = walkTree(table, answers);
    var path = walked.path;
    var outcome = walked.outcome;
    for (i = 0; i < path.length; i++) {
      var step = path[i];
      added = positive(step.points);
      if (keys(added).length > 0) {
        addPoints(points, added);
        contributions.push({ question: step.node, answer: step.option, points: added });
      }
    }
    var total = 0;
    for (i = 0; i < tracks.length; i++) {
      total += points[tracks[i]];
    }
    var track, tie;
    if (scorer === "decision-tree" && outcome !== null) {
      track = outcome;
      tie = [];
    } else {
      if (tracks.length === 0) {
        throw new Error("max() arg is an empty sequence");
      }
      var top = points[tracks[0]];
      for (i = 1; i < tracks.length; i++) {
        if (points[tracks[i]] > top) {
          top = points[tracks[i]];
        }
      }
      var tied = [];
      for (i = 0; i < tracks.length; i++) {
        if (points[tracks[i]] === top) {
          tied.push(tracks[i]);
        }
      }
      track = tied[0];
      tie = tied.length > 1 ? tied : [];
    }
    var trackScores = [];
    for (i = 0; i < tracks.length; i++) {
      t = tracks[i];
      trackScores.push({ track: t, points: points[t], share: shareInt(points[t], total) });
    }
    var steps = [];
    for (i = 0; i < path.length; i++) {
      steps.push({ node: path[i].node, option: path[i].option });
    }
    return {
      kind: "recommendation", scorer: scorer, track: track, tie: tie, total: total,
      tracks: trackScores,
      contributions: contributions,
      path: steps
    };
  }

  /* ---------------------------------------------------------------- grade */

  /* The score of one answer as [numerator, denominator] (before clamping to [0, 1]). */
  function questionFraction(key, answer, mode) {
    var kind = key.type;
    var right, i;
    if (kind === "single" || kind === "true-false") {
      right = kind === "single" ? pyIn(answer, key.correct) : pyEquals(answer, key.correct);
      return right ? [1, 1] : [0, 1];
    }
    if (kind === "multiple") {
      var correct = key.correct;
      var chosen = answer;
      right = 0;
      for (i = 0; i < chosen.length; i++) {
        if (pyIn(chosen[i], correct)) {
          right += 1;
        }
      }
      var wrong = chosen.length - right;
      if (mode === "all-or-nothing") {
        return right === correct.length && wrong === 0 ? [1, 1] : [0, 1];
      }
      var k = correct.length;
      var n = key.options.length;
      return [right * (n - k) - wrong * k, k * (n - k)];
    }
    if (kind === "matching") {
      var pairs = key.correct;
      var lefts = keys(pairs);
      right = 0;
      for (i = 0; i < lefts.length; i++) {
        if (pyEquals(get(answer, lefts[i]), pairs[lefts[i]])) {
          right += 1;
        }
      }
      if (mode === "all-or-nothing") {
        return right === lefts.length ? [1, 1] : [0, 1];
      }
      return [right, lefts.length];
    }
    var order = key.correct;
    right = 0;
    for (i = 0; i < order.length; i++) {
      if (i < answer.length && pyEquals(answer[i], order[i])) {
        right += 1;
      }
    }
    if (mode === "all-or-nothing") {
      return right === order.length ? [1, 1] : [0, 1];
    }
    return [right, order.length];
  }

  /* "partial-credit" (Moodle's rules) or "all-or-nothing" over the knowledge check. */
  function grade(table, answers, scorer, mastery) {
    checkMapping(answers);
    var totalUnits = 0;
    var questions = [];
    var keyList = table.knowledge_check;
    for (var i = 0; i < keyList.length; i++) {
      var key = keyList[i];
      var answer = get(answers, key.id);
      var status, got;
      if (answer === null) {
        status = "unanswered";
        got = 0;
      } else {
        var fraction = questionFraction(key, answer, scorer);
        var num = fraction[0];
        var den = fraction[1];
        got = units(num, den);
        status = num >= den ? "correct" : (num <= 0 ? "incorrect" : "partial");
      }
      totalUnits += got;
      questions.push({ question: key.id, type: key.type, status: status,
                       score: got / SCORE_UNITS });
    }
    var count = keyList.length;
    var whole = count * SCORE_UNITS;
    var percent = percentOf(totalUnits, count);
    return {
      kind: "grade", scorer: scorer, points: totalUnits / SCORE_UNITS, max: count,
      scaled: whole ? totalUnits / whole : 0.0,
      percent: percent,
      mastery: mastery,
      passed: reaches(percent, mastery),
      questions: questions
    };
  }

  /* ------------------------------------------------------------- register */

  function recommendation(name) {
    return function (table, answers, options) {
      return recommend(table, answers, name);
    };
  }

  function grader(name) {
    return function (table, answers, options) {
      var mastery = options && options.mastery != null ? options.mastery : table.mastery;
      return grade(table, answers, name, mastery);
    };
  }

  registry.register("weighted", recommendation("weighted"));
  registry.register("decision-tree", recommendation("decision-tree"));
  registry.register("partial-credit", grader("partial-credit"));
  registry.register("all-or-nothing", grader("all-or-nothing"));

  if (typeof module !== "undefined" && module && module.exports) {
    module.exports = registry;
  }
}(this));
