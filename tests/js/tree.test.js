/*
 * The decision-tree logic (app-tree.js): the learner's path, completeness, the
 * next question, pruning, and the explorer's walk. On the bundled course (a
 * start node whose last option leads to a follow-up) and on trees edited here
 * to reach the cases the content rules forbid (a cycle, a missing start).
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { packageData, loadApp, plain } = require("./load-app.js");

const pkg = packageData();
const Tree = loadApp(pkg).PmkitTree;

const tree = pkg.course.decision_tree;
const start = tree.nodes.find((node) => node.id === tree.start);
/* An option of the start node that ends on a track, and one that leads on. */
const ending = start.options.find((option) => option.track);
const leading = start.options.find((option) => option.next);
const follow = tree.nodes.find((node) => node.id === leading.next);
const followEnding = follow.options.find((option) => option.track);

/* Arrays made in the vm context have its prototypes: compare plain copies. */
function ids(nodes) {
  return plain(nodes.map((node) => node.id));
}

test("no answers: an empty path, the start node to answer", () => {
  assert.deepEqual(plain(Tree.path({})), []);
  assert.equal(Tree.complete({}), false);
  assert.equal(Tree.missing({}).id, start.id);
  assert.deepEqual(ids(Tree.shown({})), [start.id]);
});

test("an option that ends on a track completes the path", () => {
  const answers = { [start.id]: ending.id };
  const path = Tree.path(answers);
  assert.deepEqual(plain(path.map((step) => [step.node, step.option])), [[start.id, ending.id]]);
  assert.equal(Tree.complete(answers), true);
  assert.equal(Tree.missing(answers), null);
  assert.deepEqual(ids(Tree.shown(answers)), [start.id]);
});

test("an option that leads on asks the follow-up", () => {
  const answers = { [start.id]: leading.id };
  assert.equal(Tree.complete(answers), false);
  assert.equal(Tree.missing(answers).id, follow.id);
  assert.deepEqual(ids(Tree.shown(answers)), [start.id, follow.id]);
  answers[follow.id] = followEnding.id;
  assert.equal(Tree.complete(answers), true);
  assert.equal(Tree.path(answers).length, 2);
});

test("an answer that is not an option of its node ends the path there", () => {
  const answers = { [start.id]: "no-such-option" };
  assert.deepEqual(plain(Tree.path(answers)), []);
  assert.equal(Tree.missing(answers).id, start.id);
});

test("prune drops the answers the path no longer visits", () => {
  const answers = { [start.id]: ending.id, [follow.id]: followEnding.id, other: true };
  assert.deepEqual(plain(Tree.prune(answers)), [follow.id]);
  assert.deepEqual(answers, { [start.id]: ending.id, other: true });
  assert.deepEqual(plain(Tree.prune(answers)), []);
});

test("the walk: step by step to an outcome", () => {
  let walk = Tree.walk([]);
  assert.equal(walk.node.id, start.id);
  assert.equal(walk.outcome, null);
  walk = Tree.walk([leading.id]);
  assert.equal(walk.node.id, follow.id);
  assert.equal(walk.trail.length, 1);
  walk = Tree.walk([leading.id, followEnding.id]);
  assert.equal(walk.node, null);
  assert.equal(walk.outcome.option.id, followEnding.id);
  assert.equal(walk.outcome.track.id, followEnding.track);
  assert.deepEqual(plain(walk.choices), [leading.id, followEnding.id]);
});

test("the walk drops the choices from the first one that is not an option", () => {
  const walk = Tree.walk([leading.id, "no-such-option", followEnding.id]);
  assert.deepEqual(plain(walk.choices), [leading.id]);
  assert.equal(walk.node.id, follow.id);
});

test("a cycle cannot hang the page: paths stop after every node was visited", () => {
  const cyclic = packageData();
  const nodes = cyclic.course.decision_tree.nodes;
  const back = nodes.find((node) => node.id === follow.id).options[0];
  back.track = null;
  back.next = start.id;  /* start -> follow -> start -> ... */
  const T = loadApp(cyclic).PmkitTree;
  const answers = { [start.id]: leading.id, [follow.id]: back.id };
  assert.equal(T.path(answers).length, nodes.length + 1);
  assert.equal(T.complete(answers), false);
  assert.equal(T.missing(answers), null);
  assert.ok(T.shown(answers).length <= nodes.length + 1);
});

test("a start node that does not exist gives an empty tree, not an error", () => {
  const broken = packageData();
  broken.course.decision_tree.start = "nowhere";
  const T = loadApp(broken).PmkitTree;
  assert.deepEqual(plain(T.path({})), []);
  assert.equal(T.missing({}), null);
  assert.equal(T.walk([]).node, null);
});

/* ---- the decision-tree screen's journey: the learner's path, other answers, explorations */

test("the journey is the learner's own path, with the other answers of each step", () => {
  const answers = { [start.id]: leading.id, [follow.id]: followEnding.id };
  const j = plain(Tree.journey(answers));
  assert.deepEqual(j.steps.map((step) => [step.node.id, step.option.id]),
                   [[start.id, leading.id], [follow.id, followEnding.id]]);
  assert.deepEqual(j.steps[0].others.map((b) => b.option.id),
                   start.options.filter((o) => o.id !== leading.id).map((o) => o.id));
  assert.equal(j.end.option.id, followEnding.id);
  assert.equal(j.end.track.id, followEnding.track);
  const other = j.steps[0].others.find((b) => b.option.id === ending.id);
  assert.equal(other.track.id, ending.track);
  assert.equal(other.next, null);
});

test("a branch that leads on names its follow-up question", () => {
  const j = plain(Tree.journey({ [start.id]: ending.id }));
  const on = j.steps[0].others.find((b) => b.option.id === leading.id);
  assert.equal(on.next.id, follow.id);
  assert.equal(on.track, null);
  assert.equal(j.end.option.id, ending.id);
});

test("an unfinished or empty path has no end", () => {
  assert.deepEqual(plain(Tree.journey({})), { steps: [], end: null });
  const j = plain(Tree.journey({ [start.id]: leading.id }));
  assert.equal(j.steps.length, 1);
  assert.equal(j.end, null);
});

test("an exploration leaves the path where its choice differs", () => {
  const answers = { [start.id]: leading.id, [follow.id]: followEnding.id };
  const otherFollow = follow.options.find((o) => o.id !== followEnding.id);
  assert.equal(Tree.departure(answers, [ending.id]), 0);
  assert.equal(Tree.departure(answers, [leading.id, otherFollow.id]), 1);
  assert.equal(Tree.departure(answers, [leading.id, followEnding.id]), -1);
  assert.equal(Tree.departure(answers, [leading.id]), -1);
  assert.equal(Tree.departure({}, [leading.id]), 0);
});

test("leaving at a step keeps the path's answers before it", () => {
  const answers = { [start.id]: leading.id, [follow.id]: followEnding.id };
  const otherFollow = follow.options.find((o) => o.id !== followEnding.id);
  assert.deepEqual(plain(Tree.leaveAt(answers, 0, ending.id)), [ending.id]);
  assert.deepEqual(plain(Tree.leaveAt(answers, 1, otherFollow.id)),
                   [leading.id, otherFollow.id]);
  const walked = plain(Tree.walk(Tree.leaveAt(answers, 1, otherFollow.id)));
  assert.equal(walked.outcome.option.id, otherFollow.id);
  /* the learner's answers are not touched */
  assert.deepEqual(answers, { [start.id]: leading.id, [follow.id]: followEnding.id });
});
