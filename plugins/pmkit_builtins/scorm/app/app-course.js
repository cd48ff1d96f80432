/*
 * app-course.js - the course as the app reads it: PMKIT_PACKAGE (course-data.js),
 * indexed once, plus the list of screens. Read-only: nothing here changes after
 * load. The typedefs below are the JSDoc type of what package_data() embeds
 * (docs/scorm-package.md, "PMKIT_PACKAGE"); `tsc --checkJs` checks every use
 * of the package data against them, so change them with package_data().
 *
 * One piece of app.js: the exporter concatenates the app-*.js and screen-*.js
 * files in a fixed order inside one function, so each file's one top-level
 * `var` is private to app.js (docs/scorm-package.md, "How app.js is built").
 */

/**
 * @typedef {Object<string, number>} Points   track id -> points
 *
 * @typedef {Object} HeadingText
 * @property {string} heading
 * @property {string} text
 *
 * @typedef {Object} TrackCourse
 * @property {string} title
 * @property {string} provider
 * @property {string|null} url
 * @property {string|null} description
 *
 * @typedef {Object} Track
 * @property {string} id
 * @property {string} title
 * @property {string} short_title
 * @property {string} perfect_for
 * @property {string[]} duties
 * @property {string[]} key_skills
 * @property {string[]} progression
 * @property {string[]} industries
 * @property {TrackCourse[]} courses
 *
 * @typedef {Object} SdQuestion   a self-discovery question (answered yes or no)
 * @property {string} id
 * @property {string} text
 * @property {Points} points
 *
 * @typedef {Object} SdGroup
 * @property {string} id
 * @property {string} title
 * @property {SdQuestion[]} questions
 *
 * @typedef {Object} TreeOption
 * @property {string} id
 * @property {string|null} label
 * @property {string|null} text
 * @property {Points} points
 * @property {string|null} next    the node this option leads to, or null
 * @property {string|null} track   the track this option ends on, or null
 *
 * @typedef {Object} TreeNode
 * @property {string} id
 * @property {string} prompt
 * @property {string|null} text
 * @property {TreeOption[]} options
 *
 * @typedef {Object} DecisionTree
 * @property {string} title
 * @property {string} intro
 * @property {string} start
 * @property {TreeNode[]} nodes
 *
 * @typedef {Object} KcOption
 * @property {string} id
 * @property {string} text
 * @property {boolean} correct
 * @property {string|null} feedback
 *
 * @typedef {Object} KcPair
 * @property {string} id
 * @property {string} prompt
 * @property {string} match
 *
 * @typedef {Object} KcText   a distractor (matching) or an item (ordering)
 * @property {string} id
 * @property {string} text
 *
 * @typedef {Object} KcQuestion   one knowledge-check question; which fields are
 *     set depends on `type` (docs/content-format.md)
 * @property {string} id
 * @property {"single"|"multiple"|"true-false"|"matching"|"ordering"} type
 * @property {string} prompt
 * @property {string} explanation
 * @property {string[]} tracks
 * @property {KcOption[]} [options]          single, multiple
 * @property {boolean} [answer]              true-false
 * @property {string|null} [true_feedback]   true-false
 * @property {string|null} [false_feedback]  true-false
 * @property {KcPair[]} [pairs]              matching
 * @property {KcText[]} [distractors]        matching
 * @property {KcText[]} [items]              ordering, in the right order
 * @property {Object<string, string>} [feedback]  matching, ordering: by status
 *
 * @typedef {Object} WorkEnvironment
 * @property {string} id
 * @property {string} label
 * @property {string} text
 *
 * @typedef {Object} OwnSection   a section of the course's own (guidance `sections`)
 * @property {string} id
 * @property {string} heading
 * @property {string} text
 * @property {"introduction"|"tracks"|"decision-tree"|"future"|"next-steps"} place
 *
 * @typedef {Object} Guidance   every part may be null: the course left it out
 * @property {HeadingText|null} tracks_intro
 * @property {HeadingText|null} making_your_choice
 * @property {{heading: string, text: string, industries_heading: string,
 *     industries_text: string, work_environments_heading: string,
 *     work_environments: WorkEnvironment[]}|null} future
 * @property {{heading: string, intro: string, steps: string[]}|null} first_steps
 * @property {{heading: string, intro: string, habits: string[]}|null} continuous_growth
 * @property {string|null} closing
 * @property {OwnSection[]} [sections]   absent when the course has none
 *
 * @typedef {Object} Attribution
 * @property {string} [title]
 * @property {string} [author]
 * @property {string} [publisher]
 * @property {string} [disclaimer]
 * @property {string} [note]
 *
 * @typedef {Object} Course   pmkit.to_data(course) without sources
 * @property {number} format_version
 * @property {string} id
 * @property {string} title
 * @property {string} version
 * @property {string} language
 * @property {string} description
 * @property {HeadingText} introduction
 * @property {Attribution|null} attribution
 * @property {number} mastery
 * @property {{recommendation: string, grade: string}} scorers
 * @property {Track[]} tracks
 * @property {{title: string, intro: string, groups: SdGroup[]}} self_discovery
 * @property {DecisionTree} decision_tree
 * @property {Guidance} guidance
 * @property {KnowledgeCheck} knowledge_check
 * @property {Object<string, string>} [strings]   the course's own overrides (if any)
 *
 * @typedef {Object} KnowledgeCheck
 * @property {string} title
 * @property {string} intro
 * @property {KcQuestion[]} questions
 * @property {number|null} attempts                how many submissions (null: no limit)
 * @property {number|null} questions_per_screen    (null: all on one screen)
 * @property {boolean} check_each_question         a "Check" button under each question
 *
 * @typedef {Object} QuestionScorm   how one question is reported (computed in Python)
 * @property {string} interaction
 * @property {"true-false"|"choice"|"matching"|"sequencing"} type
 * @property {number} weighting
 * @property {boolean} graded
 * @property {string} [description]               SCORM 2004 only
 * @property {Object<string, string>} tokens
 * @property {Object<string, string>} [targets]   matching only
 * @property {string} sep
 * @property {string} pairSep
 * @property {string|null} correct
 *
 * @typedef {Object} PackageScorm
 * @property {"1.2"|"2004"} version
 * @property {string} storageKey
 * @property {string} stateVersion
 * @property {{suspendData: number, location: number}} limits
 * @property {Object<string, QuestionScorm>} questions   in course-data.js without
 *     interaction, weighting, sep, pairSep and (when derived) description: put
 *     back by fillQuestions() below
 * @property {{sep: string, pairSep: string}} separators
 * @property {{id: string}[]} objectives
 *
 * @typedef {Object} PmkitPackage   PMKIT_PACKAGE, written by package_data()
 * @property {"pmkit-scorm/2"} format
 * @property {Course} course
 * @property {Object<string, *>} scoring   the scoring table: only the scorers read it
 * @property {{recommendation: string, grade: string}} scorers
 * @property {Object<string, Object<string, *>>} [scorerOptions]   by kind: the course's
 *   values for that scorer's options (scorers: options: in course.yaml), defaults filled in
 * @property {number} mastery
 * @property {PackageScorm} scorm
 * @property {Object<string, string[]>} [order]   option ids per question, in the order to show
 *   them (pmkit.option_order: the same order the handout and the question banks use)
 * @property {Object<string, string>} strings   the app's fixed texts (key -> text)
 * @property {Object<string, string>} screens   screen id -> its label
 */

/* exported PmkitCourse */
var PmkitCourse = (function (P) {
  "use strict";

  var course = P.course;
  var tree = course.decision_tree;
  var k;

  /** @param {Object} obj  @param {string} key */
  function hasOwn(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  /**
   * @param {{id: string}[]} items
   * @param {*} id
   */
  function indexOfId(items, id) {
    for (var m = 0; m < items.length; m++) {
      if (items[m].id === id) {
        return m;
      }
    }
    return -1;
  }

  /** @type {Object<string, Track>} */
  var trackById = {};
  for (k = 0; k < course.tracks.length; k++) {
    trackById[course.tracks[k].id] = course.tracks[k];
  }

  /** @type {SdQuestion[]} */
  var sdQuestions = [];
  /** @type {Object<string, SdQuestion>} */
  var sdById = {};
  var groups = course.self_discovery.groups;
  for (k = 0; k < groups.length; k++) {
    for (var g = 0; g < groups[k].questions.length; g++) {
      sdQuestions.push(groups[k].questions[g]);
      sdById[groups[k].questions[g].id] = groups[k].questions[g];
    }
  }

  /** @type {Object<string, TreeNode>} */
  var nodeById = {};
  for (k = 0; k < tree.nodes.length; k++) {
    nodeById[tree.nodes[k].id] = tree.nodes[k];
  }

  /* The app's fixed texts, in the course's language (package data `strings`). */
  var STRINGS = P.strings;

  /**
   * The text of `key` with each {name} replaced by params[name].
   * @param {string} key
   * @param {Object<string, string|number>} [params]
   * @returns {string}
   */
  function T(key, params) {
    var text = hasOwn(STRINGS, key) ? STRINGS[key] : key;
    return text.replace(/\{([a-z][a-z0-9_]*)\}/g, function (whole, name) {
      return params && hasOwn(params, name) ? String(params[name]) : whole;
    });
  }

  /* course-data.js leaves out what the app can derive (docs/scorm-package.md,
   * "PMKIT_PACKAGE"): put it back once, so every reader sees a full QuestionScorm.
   * A 2004 description left out is "{lang=<language>}" and the prompt as written. */
  function fillQuestions() {
    var scorm = P.scorm;
    var tag = "{lang=" + course.language + "}";
    /** @type {Object<string, string>} */
    var prompts = {};
    var m;
    for (m = 0; m < sdQuestions.length; m++) {
      prompts[sdQuestions[m].id] = sdQuestions[m].text;
    }
    for (m = 0; m < tree.nodes.length; m++) {
      prompts[tree.nodes[m].id] = tree.nodes[m].prompt;
    }
    var kc = course.knowledge_check.questions;
    for (m = 0; m < kc.length; m++) {
      prompts[kc[m].id] = kc[m].prompt;
    }
    for (var qid in scorm.questions) {
      if (hasOwn(scorm.questions, qid)) {
        var q = scorm.questions[qid];
        q.interaction = qid;
        q.weighting = q.graded ? 1 : 0;
        q.sep = scorm.separators.sep;
        q.pairSep = scorm.separators.pairSep;
        /* 2004 and cmi5 packages carry the 2004 table, with descriptions */
        if (scorm.version !== "1.2" && q.description === undefined) {
          q.description = tag + prompts[qid];
        }
      }
    }
  }
  fillQuestions();

  var guidance = course.guidance;

  /* The course's own sections shown at the end of the screen for `place`
   * (docs/content-format.md, "guidance.yaml"), in authored order. */
  /** @param {string} place  @returns {OwnSection[]} */
  function placed(place) {
    var own = guidance.sections || [];
    var out = [];
    for (var m = 0; m < own.length; m++) {
      if (own[m].place === place) {
        out.push(own[m]);
      }
    }
    return out;
  }

  /* A screen with nothing to show is left out of the list (and so of the progress
   * count): "Your future" without its guidance, "Next steps" without first steps,
   * growth, closing advice, a section placed there or a note from the source. */
  /** @type {Object<string, boolean>} */
  var SHOWN = {
    "future": !!guidance.future,
    "next-steps": !!(guidance.first_steps || guidance.continuous_growth || guidance.closing ||
                     placed("next-steps").length || (course.attribution && course.attribution.note))
  };
  /* Screen labels: the course's own heading of the page where it has one (package
   * data `screens`), else the catalogue's. */
  var SCREEN_IDS = ["welcome", "self-discovery", "starting-point", "recommendation", "tracks",
                    "decision-tree", "future", "knowledge-check", "next-steps", "finish"];
  /** @type {{id: string, label: string}[]} */
  var SCREENS = [];
  for (k = 0; k < SCREEN_IDS.length; k++) {
    if (!hasOwn(SHOWN, SCREEN_IDS[k]) || SHOWN[SCREEN_IDS[k]]) {
      SCREENS.push({ id: SCREEN_IDS[k], label: P.screens[SCREEN_IDS[k]] });
    }
  }
  /** @type {Object<string, number>} screen id -> index */
  var SCREEN = {};
  for (k = 0; k < SCREENS.length; k++) {
    SCREEN[SCREENS[k].id] = k;
  }

  /* The knowledge check's screens: questions_per_screen at a time (none given:
   * all on one screen). */
  var kcSettings = course.knowledge_check;
  var kcPerScreen = kcSettings.questions_per_screen && kcSettings.questions_per_screen > 0 ?
    kcSettings.questions_per_screen : Math.max(1, kcSettings.questions.length);
  var kcPages = Math.max(1, Math.ceil(kcSettings.questions.length / kcPerScreen));

  /** @param {TreeOption} option */
  function optionLabel(option) {
    if (option.label) {
      return option.label;
    }
    if (option.track && hasOwn(trackById, option.track)) {
      return trackById[option.track].perfect_for;
    }
    return option.id;
  }

  /** @param {string} id */
  function trackName(id) {
    return hasOwn(trackById, id) ? trackById[id].short_title : id;
  }

  /* A matching question's answers: the pairs' right-hand sides, then the
   * distractors. The state and the LMS response index into this order. */
  /** @param {KcQuestion} q  @returns {KcText[]} */
  function matchAnswers(q) {
    var out = [];
    var m;
    for (m = 0; m < q.pairs.length; m++) {
      out.push({ id: q.pairs[m].id, text: q.pairs[m].match });
    }
    var extra = q.distractors || [];
    for (m = 0; m < extra.length; m++) {
      out.push({ id: extra[m].id, text: extra[m].text });
    }
    return out;
  }

  /**
   * ``items`` (a question's options, or a matching question's answers) in the order
   * the package says to show them; the authoring order when it says nothing.
   * Only what is shown changes: answers, saved state and LMS responses use ids.
   * @template {{id: string}} T
   * @param {string} questionId  @param {T[]} items  @returns {T[]}
   */
  function shownOrder(questionId, items) {
    var ids = P.order && hasOwn(P.order, questionId) ? P.order[questionId] : null;
    if (!ids) {
      return items.slice();
    }
    var out = [];
    for (var n = 0; n < ids.length; n++) {
      var at = indexOfId(items, ids[n]);
      if (at >= 0) {
        out.push(items[at]);
      }
    }
    for (var m = 0; m < items.length; m++) {  /* anything the order does not name, last */
      if (out.indexOf(items[m]) < 0) {
        out.push(items[m]);
      }
    }
    return out;
  }

  return {
    shownOrder: shownOrder,
    pkg: P,
    course: course,
    scorm: P.scorm,
    questions: P.scorm.questions,
    tracks: course.tracks,
    trackById: trackById,
    sdQuestions: sdQuestions,
    sdById: sdById,
    tree: tree,
    nodes: tree.nodes,
    nodeById: nodeById,
    kcQuestions: course.knowledge_check.questions,
    SCREENS: SCREENS,
    placed: placed,
    SCREEN: SCREEN,
    kcPerScreen: kcPerScreen,
    kcPages: kcPages,
    hasOwn: hasOwn,
    indexOfId: indexOfId,
    optionLabel: optionLabel,
    trackName: trackName,
    matchAnswers: matchAnswers,
    T: T
  };
}(window.PMKIT_PACKAGE));
