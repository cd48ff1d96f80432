/*
 * The state codec (app-codec.js): the "p3" text of cmi.suspend_data
 * (docs/scorm-package.md, "The state"), on the bundled course's package.
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { packageData, loadApp, plain } = require("./load-app.js");

const pkg = packageData();
const app = loadApp(pkg);
const Codec = app.PmkitCodec;
const C = app.PmkitCourse;
const VERSION = pkg.scorm.stateVersion;

/* The first knowledge-check question of `type`. */
function kc(type) {
  const q = C.kcQuestions.find((question) => question.type === type);
  assert.ok(q, `the bundled course has a ${type} question`);
  return q;
}

function fields(text) {
  return text.split("|");
}

function roundTrip(state) {
  return plain(Codec.decodeState(Codec.encodeState(state)));
}

test("a fresh state encodes every question as unanswered", () => {
  const text = Codec.encodeState(Codec.freshState());
  assert.deepEqual(fields(text), [
    "p3", VERSION, "0", "0", "0",
    "-".repeat(C.sdQuestions.length),
    "-".repeat(C.nodes.length),
    ".".repeat(C.kcQuestions.length - 1),
    "0", "", ""
  ]);
  assert.deepEqual(roundTrip(Codec.freshState()), plain(Codec.freshState()));
});

test("screen number, flags and interaction count are base 36", () => {
  const state = Codec.freshState();
  state.screen = C.SCREEN["knowledge-check"];
  state.page = 3;
  state.flags = Codec.FLAGS.SUBMITTED | Codec.FLAGS.PASSED;
  state.interactions = 36 * 36;
  const number = C.SCREEN["knowledge-check"] + 3;
  assert.deepEqual(fields(Codec.encodeState(state)).slice(2, 5),
                   [number.toString(36), "5", "100"]);
  assert.deepEqual(roundTrip(state), plain(state));
});

test("every screen and knowledge-check screen has its own number, and round-trips", () => {
  assert.ok(C.kcPages > 1, "the bundled check is paged");
  const seen = [];
  for (let screen = 0; screen < C.SCREENS.length; screen++) {
    const pages = screen === C.SCREEN["knowledge-check"] ? C.kcPages : 1;
    for (let page = 0; page < pages; page++) {
      const state = Object.assign(Codec.freshState(), { screen, page });
      seen.push(Codec.screenNumber(state));
      assert.deepEqual(roundTrip(state), plain(state), `screen ${screen} page ${page}`);
    }
  }
  assert.deepEqual(seen, [...seen.keys()]);
  assert.equal(seen[seen.length - 1], Codec.MAX_SCREEN_NUMBER);
  assert.equal(Codec.MAX_SCREEN_NUMBER, C.SCREENS.length + C.kcPages - 2);
});

test("an impossible screen or page is held to the course's; the count to 4 digits", () => {
  const state = Codec.freshState();
  state.screen = 5000;
  state.interactions = Codec.MAX_COUNT + 10;
  assert.deepEqual(fields(Codec.encodeState(state)).slice(2, 5),
                   [Codec.MAX_SCREEN_NUMBER.toString(36), "0", "zzzz"]);
  const onCheck = Object.assign(Codec.freshState(), { screen: C.SCREEN["knowledge-check"],
                                                      page: C.kcPages + 7 });
  assert.equal(plain(roundTrip(onCheck)).page, C.kcPages - 1);
});

test("a p2 state (two-digit screen index, no page) is still read", () => {
  const state = Codec.freshState();
  state.answers[C.sdQuestions[0].id] = true;
  const p2 = fields(Codec.encodeState(state));
  p2[0] = "p2";
  p2[2] = C.SCREEN["next-steps"].toString(36);
  const decoded = plain(Codec.decodeState(p2.join("|")));
  assert.equal(decoded.screen, C.SCREEN["next-steps"]);
  assert.equal(decoded.page, 0);
  assert.equal(decoded.answers[C.sdQuestions[0].id], true);
  p2[2] = "zz";  /* p2 allowed two digits; the app holds the screen to its last */
  assert.equal(plain(Codec.decodeState(p2.join("|"))).screen, 36 * 36 - 1);
});

test("self-discovery: 1 yes, 0 no, - unanswered", () => {
  const state = Codec.freshState();
  state.answers[C.sdQuestions[0].id] = true;
  state.answers[C.sdQuestions[1].id] = false;
  const sd = fields(Codec.encodeState(state))[5];
  assert.equal(sd, "10" + "-".repeat(C.sdQuestions.length - 2));
  assert.deepEqual(roundTrip(state), plain(state));
});

test("decision tree: the chosen option's index per node", () => {
  const node = C.nodes[0];
  const state = Codec.freshState();
  state.answers[node.id] = node.options[node.options.length - 1].id;
  const tr = fields(Codec.encodeState(state))[6];
  assert.equal(tr.charAt(0), (node.options.length - 1).toString(36));
  assert.deepEqual(roundTrip(state), plain(state));
});

test("every knowledge-check type survives the round trip", () => {
  const state = Codec.freshState();
  const single = kc("single");
  const multiple = kc("multiple");
  const matching = kc("matching");
  const ordering = kc("ordering");
  state.answers[single.id] = single.options[1].id;
  state.answers[multiple.id] = [multiple.options[0].id, multiple.options[2].id];
  state.answers[kc("true-false").id] = false;
  state.answers[matching.id] = { [matching.pairs[0].id]: matching.pairs[1].id };
  state.answers[ordering.id] = ordering.items.map((item) => item.id).reverse();
  assert.deepEqual(roundTrip(state), plain(state));
});

test("a multiple answer is stored in option order, whatever order it was given in", () => {
  const q = kc("multiple");
  const state = Codec.freshState();
  state.answers[q.id] = [q.options[2].id, q.options[0].id];
  assert.deepEqual(roundTrip(state).answers[q.id], [q.options[0].id, q.options[2].id]);
});

test("a matching answer keeps unmatched pairs as '-', and none matched is unanswered", () => {
  const q = kc("matching");
  const index = C.kcQuestions.indexOf(q);
  const state = Codec.freshState();
  state.answers[q.id] = { [q.pairs[1].id]: q.pairs[0].id };
  const text = fields(Codec.encodeState(state))[7].split(".")[index];
  assert.equal(text, "-0" + "-".repeat(q.pairs.length - 2));
  state.answers[q.id] = {};
  assert.equal(fields(Codec.encodeState(state))[7].split(".")[index], "");
});

test("an incomplete ordering is not stored (it would not decode)", () => {
  const q = kc("ordering");
  const state = Codec.freshState();
  state.answers[q.id] = [q.items[0].id];
  assert.equal(roundTrip(state).answers[q.id], undefined);
});

test("the worst case decodes and encodes back to itself", () => {
  const worst = Codec.worstCaseState();
  const decoded = Codec.decodeState(worst);
  assert.ok(decoded);
  assert.equal(Codec.encodeState(decoded), worst);
  assert.ok(worst.length <= pkg.scorm.limits.suspendData);
});

test("states that are not p3 (or p2, p1) states of this course version decode to null", () => {
  const good = fields(Codec.encodeState(Codec.freshState()));
  const broken = (index, value) => {
    const copy = good.slice();
    copy[index] = value;
    return copy.join("|");
  };
  const cases = {
    "not text": null,
    "empty": "",
    "another encoding": broken(0, "p4"),
    "a p1 with p2 fields": broken(0, "p1"),
    "another course version": broken(1, VERSION + "-old"),
    "a field missing": good.slice(0, 7).join("|"),
    "a field too many": good.concat([""]).join("|"),
    "screen too wide": broken(2, "1" + "0".repeat(Codec.MAX_SCREEN_NUMBER.toString(36).length)),
    "screen not base 36": broken(2, "A"),
    "empty flags": broken(3, ""),
    "count too wide": broken(4, "10000"),
    "self-discovery too short": broken(5, "-"),
    "self-discovery not 0/1/-": broken(5, "x" + good[5].slice(1)),
    "tree option out of range": broken(6, "z" + good[6].slice(1)),
    "one knowledge answer missing": broken(7, good[7].slice(1)),
    "attempts too wide": broken(8, "100"),
    "attempts empty": broken(8, ""),
    "best over 100": broken(9, "2t"),
    "best not base 36": broken(9, "-1"),
    "marks too short": broken(10, "c"),
    "a mark not c/s/-": broken(10, "x" + "-".repeat(C.kcQuestions.length - 1))
  };
  for (const [why, text] of Object.entries(cases)) {
    assert.equal(Codec.decodeState(text), null, why);
  }
});

test("a malformed knowledge-check answer discards the whole state", () => {
  const good = fields(Codec.encodeState(Codec.freshState()));
  const withAnswer = (q, text) => {
    const kcFields = good[7].split(".");
    kcFields[C.kcQuestions.indexOf(q)] = text;
    return good.slice(0, 7).concat([kcFields.join(".")], good.slice(8)).join("|");
  };
  const ordering = kc("ordering");
  const cases = [
    [kc("single"), "z"],                          /* no such option */
    [kc("single"), "01"],                         /* two options */
    [kc("multiple"), "10"],                       /* not ascending */
    [kc("multiple"), "00"],                       /* twice */
    [kc("true-false"), "1"],                      /* t or f only */
    [kc("matching"), "0"],                        /* one char per pair */
    [ordering, "0".repeat(ordering.items.length)],  /* an item twice */
    [ordering, "01"]                              /* not every item */
  ];
  for (const [q, text] of cases) {
    assert.equal(Codec.decodeState(withAnswer(q, text)), null, `${q.type} ${text}`);
  }
});

test("attempts, the best score and the marks round-trip", () => {
  const state = Codec.freshState();
  const first = C.kcQuestions[0];
  const last = C.kcQuestions[C.kcQuestions.length - 1];
  state.attempts = 3;
  state.best = 100;
  state.marks[first.id] = "c";
  state.marks[last.id] = "s";
  const parts = fields(Codec.encodeState(state));
  assert.deepEqual(parts.slice(8, 10), ["3", "2s"]);
  assert.equal(parts[10], "c" + "-".repeat(C.kcQuestions.length - 2) + "s");
  assert.deepEqual(roundTrip(state), plain(state));
  state.best = 0;
  assert.equal(fields(Codec.encodeState(state))[9], "0");
  assert.deepEqual(roundTrip(state), plain(state));
});

test("attempts are capped at the two digits the format reserves", () => {
  const state = Codec.freshState();
  state.attempts = 5000;
  assert.equal(fields(Codec.encodeState(state))[8], "zz");
  assert.equal(Codec.MAX_ATTEMPTS, 36 * 36 - 1);
});

test("a first-edition p1 state is still read: a submitted one is one attempt", () => {
  const state = Codec.freshState();
  state.flags = Codec.FLAGS.SUBMITTED | Codec.FLAGS.FAILED;
  state.answers[kc("true-false").id] = true;
  const p1 = fields(Codec.encodeState(state)).slice(0, 8);
  p1[0] = "p1";
  const decoded = plain(Codec.decodeState(p1.join("|")));
  assert.equal(decoded.attempts, 1);
  assert.equal(decoded.best, -1);  /* the app grades the answers for it */
  assert.deepEqual(decoded.marks, {});
  assert.deepEqual(decoded.answers, plain(state.answers));
  p1[3] = "0";
  assert.equal(plain(Codec.decodeState(p1.join("|"))).attempts, 0);
});

test("the worst case has every mark and the widest attempts and best score", () => {
  const parts = fields(Codec.worstCaseState());
  assert.deepEqual(parts.slice(8, 10), ["zz", "2s"]);
  assert.equal(parts[10], "c".repeat(C.kcQuestions.length));
});
