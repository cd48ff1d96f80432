/*
 * screen-intro.js - the screens where the learner tells the course about
 * themselves: welcome, self-discovery (yes/no questions) and the starting
 * point (the decision tree's questions, each follow-up shown once the answer
 * before it leads there).
 */

/* global PmkitCourse, PmkitDom, PmkitSession, PmkitTree */
/* exported PmkitIntroScreens */
var PmkitIntroScreens = (function (doc, C, Dom, S, Tree) {
  "use strict";

  var el = Dom.el;
  var now = S.now;

  /* The course's own sections placed on a screen: each a level-2 heading with its
   * paragraphs, at the end of the screen's content (the other screens use it too). */
  /** @param {HTMLElement} s  @param {string} place */
  function ownSections(s, place) {
    var own = C.placed(place);
    for (var k = 0; k < own.length; k++) {
      s.appendChild(el("div", { className: "own-section", id: "own_" + own[k].id },
                       [Dom.heading(2, own[k].heading), Dom.paragraphs(own[k].text)]));
    }
  }

  function welcome() {
    var intro = C.course.introduction;
    var s = Dom.section("welcome", intro.heading, null);
    Dom.append(s, Dom.paragraphs(intro.text));
    ownSections(s, "introduction");
    s.appendChild(Dom.heading(2, "What you will do"));
    var steps = [];
    for (var k = 1; k < C.SCREENS.length; k++) {
      steps.push(C.SCREENS[k].label);
    }
    s.appendChild(Dom.list("ol", steps, "outline"));
    s.appendChild(el("p", null, now.lmsMode === "normal" ?
                     "Your answers are saved as you go, so you can leave and come back at " +
                     "any time. Select Start to begin." :
                     "In this mode nothing you do is saved or recorded. Select Start to begin."));
    return s;
  }

  function selfDiscovery() {
    var sd = C.course.self_discovery;
    var s = Dom.section("self-discovery", sd.title, sd.intro);
    var status = el("p", { className: "hint", id: "sd-status" });
    function updateStatus() {
      var n = 0;
      for (var m = 0; m < C.sdQuestions.length; m++) {
        if (S.answer(C.sdQuestions[m].id) !== undefined) {
          n += 1;
        }
      }
      status.textContent = "You have answered " + n + " of " + C.sdQuestions.length +
        " questions. A question you leave unanswered counts as \u201cno\u201d.";
    }
    for (var g = 0; g < sd.groups.length; g++) {
      var group = sd.groups[g];
      var box = el("div", { className: "group", id: "group_" + group.id });
      box.appendChild(Dom.heading(2, group.title));
      for (var k = 0; k < group.questions.length; k++) {
        box.appendChild(sdQuestion(group.questions[k], updateStatus));
      }
      s.appendChild(box);
    }
    updateStatus();
    s.appendChild(status);
    return s;
  }

  /** @param {SdQuestion} q  @param {function(): void} after */
  function sdQuestion(q, after) {
    var name = "sd_" + q.id;
    var current = S.answer(q.id);
    /** @param {boolean} value */
    function pick(value) {
      return function () {
        now.state.answers[q.id] = value;
        S.touch(q.id);
        after();
        S.persist();
      };
    }
    return el("fieldset", { className: "question yes-no", id: "q_" + q.id }, [
      el("legend", null, q.text),
      el("div", { className: "choices choices-inline" }, [
        Dom.choiceInput("radio", name, name + "_yes", "Yes", current === true, pick(true)),
        Dom.choiceInput("radio", name, name + "_no", "No", current === false, pick(false))
      ])
    ]);
  }

  function startingPoint() {
    var tree = C.tree;
    var s = Dom.section("starting-point", "Your starting point", tree.intro);
    var area = el("div", { id: "tree-questions" });
    var error = el("p", { className: "error-message", id: "tree-error", hidden: true });
    /** @param {{node: string, option: string}|null} focusOn */
    function draw(focusOn) {
      Dom.clear(area);
      var shown = Tree.shown(now.state.answers);
      for (var k = 0; k < shown.length; k++) {
        area.appendChild(treeQuestion(shown[k], onChoose));
      }
      if (focusOn) {
        var input = doc.getElementById("tree_" + focusOn.node + "_" + focusOn.option);
        if (input) {
          input.focus();
        }
      }
    }
    /** @param {TreeNode} node  @param {TreeOption} option */
    function onChoose(node, option) {
      var before = Tree.path(now.state.answers).length;
      now.state.answers[node.id] = option.id;
      S.touch(node.id);
      Tree.prune(now.state.answers);
      error.hidden = true;
      draw({ node: node.id, option: option.id });
      S.persist();
      if (!option.track && Tree.path(now.state.answers).length > before) {
        Dom.announce("A follow-up question appeared below: " +
                 (C.nodeById[option.next] ? C.nodeById[option.next].prompt : ""));
      }
    }
    draw(null);
    s.appendChild(area);
    s.appendChild(error);
    return s;
  }

  /**
   * @param {TreeNode} node
   * @param {function(TreeNode, TreeOption): void} onChoose
   */
  function treeQuestion(node, onChoose) {
    var name = "tree_" + node.id;
    var fs = el("fieldset", { className: "question", id: "q_" + node.id,
                              "aria-describedby": node.text ? "q_" + node.id + "_text" : null });
    fs.appendChild(el("legend", null, node.prompt));
    if (node.text) {
      fs.appendChild(el("p", { className: "hint", id: "q_" + node.id + "_text" }, node.text));
    }
    var box = el("div", { className: "choices" });
    var chosen = S.answer(node.id);
    for (var k = 0; k < node.options.length; k++) {
      (function (option) {
        box.appendChild(Dom.choiceInput("radio", name, name + "_" + option.id,
                                        C.optionLabel(option), chosen === option.id,
                                        function () { onChoose(node, option); },
                                        option.text || null));
      }(node.options[k]));
    }
    fs.appendChild(box);
    return fs;
  }

  /* When Next is selected before the tree leads to a track: say which question
   * is missing, tie the message to it and move focus there. */
  function showMissing() {
    var error = Dom.byId("tree-error");
    var missing = Tree.missing(now.state.answers);
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
    Dom.announce(error ? error.textContent : "");
  }

  return {
    welcome: welcome,
    selfDiscovery: selfDiscovery,
    startingPoint: startingPoint,
    showMissing: showMissing,
    ownSections: ownSections
  };
}(document, PmkitCourse, PmkitDom, PmkitSession, PmkitTree));
