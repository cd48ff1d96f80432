/*
 * screen-explore.js - the screens to read and explore, where nothing is
 * answered or recorded: the career tracks, the decision tree walked step by
 * step, and "your future" (industries, work environments).
 */

/* global PmkitCourse, PmkitDom, PmkitIntroScreens, PmkitReport, PmkitSession, PmkitTree */
/* exported PmkitExploreScreens */
var PmkitExploreScreens = (function (doc, C, Dom, Report, S, Tree) {
  "use strict";

  var el = Dom.el;
  var now = S.now;

  /* The recommended track (or the tied ones) first and open, the others after it,
   * collapsed to their title and who they suit: on a phone the learner's own
   * track is the first thing on the screen, not the third. */
  function tracks() {
    var intro = C.course.guidance.tracks_intro;
    var s = Dom.section("tracks", intro ? intro.heading : C.SCREENS[C.SCREEN.tracks].label,
                        null);
    Dom.append(s, intro ? Dom.paragraphs(intro.text) : null);
    var rec = Report.recommendation();
    var recommended = rec.total > 0 ? (rec.tie.length ? rec.tie : [rec.track]) : [];
    var k;
    var ordered = [];
    for (k = 0; k < C.tracks.length; k++) {
      if (recommended.indexOf(C.tracks[k].id) >= 0) {
        ordered.push(C.tracks[k]);
      }
    }
    for (k = 0; k < C.tracks.length; k++) {
      if (recommended.indexOf(C.tracks[k].id) < 0) {
        ordered.push(C.tracks[k]);
      }
    }
    var overview = el("table", { className: "overview", id: "tracks-overview" });
    overview.appendChild(el("caption", null, "Career tracks at a glance"));
    overview.appendChild(el("thead", null, el("tr", null, [
      el("th", { scope: "col" }, "Track"),
      el("th", { scope: "col" }, "Perfect for")
    ])));
    var body = el("tbody");
    for (k = 0; k < ordered.length; k++) {
      body.appendChild(el("tr", { "data-track": ordered[k].id }, [
        el("th", { scope: "row" }, overviewLink(ordered[k])),
        el("td", null, ordered[k].perfect_for)
      ]));
    }
    overview.appendChild(body);
    s.appendChild(el("div", { className: "table-scroll" }, overview));
    s.appendChild(el("p", { className: "hint", id: "tracks-hint" }, recommended.length ?
                     "Your recommended track comes first. Open any other track to read " +
                     "about it." :
                     "Open a track to read about it."));
    for (k = 0; k < ordered.length; k++) {
      s.appendChild(trackSection(ordered[k], recommended.indexOf(ordered[k].id) >= 0));
    }
    PmkitIntroScreens.ownSections(s, "tracks");
    return s;
  }

  /* A link to a track's section that also opens it (a closed <details> would
   * leave the learner at a bare title). */
  /** @param {Track} t */
  function overviewLink(t) {
    var a = el("a", { href: "#track-" + t.id }, t.title);
    a.addEventListener("click", function () {
      var d = doc.getElementById("track-" + t.id + "-details");
      if (d) {
        d.setAttribute("open", "");
      }
    });
    return a;
  }

  /** @param {Track} t  @param {boolean} isRecommended */
  function trackSection(t, isRecommended) {
    var sec = el("section", { className: "track" + (isRecommended ? " is-recommended" : ""),
                              id: "track-" + t.id, "data-track": t.id,
                              "aria-labelledby": "track-" + t.id + "-title" });
    var h = el("h2", { id: "track-" + t.id + "-title", className: "track-title" }, t.title);
    if (isRecommended) {
      h.appendChild(doc.createTextNode(" "));
      h.appendChild(el("span", { className: "badge" }, "Recommended for you"));
    }
    var details = el("details", { className: "track-details", id: "track-" + t.id + "-details",
                                  open: isRecommended });
    details.appendChild(el("summary", { className: "track-summary" }, [
      h,
      el("span", { className: "perfect-for" }, [el("strong", null, "Perfect for: "),
                                                 t.perfect_for])
    ]));
    var body = el("div", { className: "track-body" });
    var cols = el("div", { className: "track-columns" });
    cols.appendChild(el("div", null, [Dom.heading(3, "What you\u2019ll do"),
                                      Dom.list("ul", t.duties)]));
    cols.appendChild(el("div", null, [Dom.heading(3, "Key skills to develop"),
                                      Dom.list("ul", t.key_skills)]));
    body.appendChild(cols);
    body.appendChild(Dom.heading(3, "Career progression"));
    var ladder = el("ol", { className: "ladder", "aria-label": "Career progression of " +
                            t.short_title + ", first step first" });
    for (var k = 0; k < t.progression.length; k++) {
      ladder.appendChild(el("li", { className: "rung rung-" + Math.min(k, 7) },
                            [el("span", { className: "rung-step" }, "Step " + (k + 1)),
                             " ",
                             el("span", { className: "rung-title" }, t.progression[k])]));
    }
    body.appendChild(ladder);
    body.appendChild(Dom.heading(3, "Industries"));
    body.appendChild(Dom.list("ul", tagTexts(t.industries), "tags"));
    var courses = t.courses || [];
    if (courses.length) {
      body.appendChild(Dom.heading(3, "Recommended courses"));
      var ul = el("ul", { className: "courses" });
      for (k = 0; k < courses.length; k++) {
        ul.appendChild(courseItem(courses[k]));
      }
      body.appendChild(ul);
    }
    details.appendChild(body);
    sec.appendChild(details);
    return sec;
  }

  /* Tags read as a list of names: each starts with a capital, whatever the case
   * of the sentence the content took it from. */
  /** @param {string[]} items */
  function tagTexts(items) {
    var out = [];
    for (var k = 0; k < items.length; k++) {
      out.push(items[k].charAt(0).toUpperCase() + items[k].slice(1));
    }
    return out;
  }

  /* Only an https link becomes a link: a content URL never runs script. */
  /** @param {TrackCourse} c */
  function courseItem(c) {
    var title = c.url && /^https:\/\//.test(c.url) ?
      el("a", { href: c.url, target: "_blank", rel: "noopener noreferrer" },
         [c.title, el("span", { className: "visually-hidden" }, " (opens in a new window)")]) :
      el("span", null, c.title);
    return el("li", null, [
      el("p", { className: "course-name" }, el("strong", null, title)),
      el("p", { className: "course-provider" }, "Provider: " + c.provider),
      c.description ? Dom.paragraphs(c.description) : null
    ]);
  }

  /* The decision tree as one journey: the learner's own path (the answers given
   * on "Your starting point"), where each other answer would lead, and an
   * exploration of any of them that leaves the recorded answers as they are.
   * Nothing here is recorded; "Back to your path" is the one way back. */
  function walk() {
    var s = Dom.section("decision-tree", "Where your answers lead", null);
    s.appendChild(el("p", { className: "lead" }, "This is the path your answers took. " +
                     "Choose any other answer to see where it leads: your own answers stay " +
                     "as they are."));
    var area = el("div", { className: "journey-area", id: "walk" });
    s.appendChild(area);
    drawWalk(area, null);
    PmkitIntroScreens.ownSections(s, "decision-tree");
    return s;
  }

  /* `focusId`: the element to focus after drawing (a heading or a button), or null. */
  /** @param {HTMLElement} area  @param {string|null} focusId */
  function drawWalk(area, focusId) {
    Dom.clear(area);
    var answers = now.state.answers;
    var j = Tree.journey(answers);
    var where = Tree.walk(now.walkPath);
    now.walkPath = where.choices;
    var leaving = now.walkPath.length ? Tree.departure(answers, now.walkPath) : -1;
    if (leaving < 0) {
      now.walkPath = [];
    }
    var k;
    var list = el("ol", { className: "journey", id: "journey",
                          "aria-label": "Your path through the decision tree" });
    for (k = 0; k < j.steps.length; k++) {
      list.appendChild(journeyStep(area, j.steps[k], k, leaving === k ? where : null));
    }
    area.appendChild(el("h2", { id: "journey-heading", tabindex: "-1" }, "Your path"));
    if (!j.steps.length) {
      /* no starting point given (a state saved before it was asked): explore from
       * the first question */
      var start = C.nodeById[C.tree.start];
      area.appendChild(el("p", null, "You have not chosen a starting point yet. See where " +
                          "each answer to the first question leads."));
      list.appendChild(el("li", { className: "journey-step", "data-node": start.id }, [
        el("p", { className: "journey-q" }, start.prompt),
        branchList(area, 0, start.id, allBranches(start)),
        leaving === 0 ? exploration(area, where, 0) : null
      ]));
    }
    area.appendChild(list);
    if (j.end) {
      area.appendChild(el("div", { className: "walk-outcome journey-end", id: "journey-end",
                                   "data-track": j.end.option.track }, [
        el("p", { className: "journey-end-title" }, ["Your path leads to: ",
          el("strong", null, j.end.track ? j.end.track.title : String(j.end.option.track))]),
        j.end.track ? el("p", null, ["Perfect for: ", j.end.track.perfect_for]) : null
      ]));
    }
    if (focusId) {
      var target = Dom.byId(focusId);
      if (target) {
        target.focus();
      }
    }
  }

  /** @param {TreeNode} node  @returns {Branch[]} */
  function allBranches(node) {
    var out = [];
    for (var k = 0; k < node.options.length; k++) {
      out.push(Tree.branch(node.options[k]));
    }
    return out;
  }

  /**
   * @param {HTMLElement} area  @param {JourneyStep} step  @param {number} index
   * @param {Walk|null} exploring   the exploration that leaves the path here
   */
  function journeyStep(area, step, index, exploring) {
    return el("li", { className: "journey-step", "data-node": step.node.id }, [
      el("p", { className: "journey-q" }, [el("span", { className: "journey-n" },
                                              "Step " + (index + 1) + ": "), step.node.prompt]),
      el("p", { className: "journey-answer", id: "journey-answer-" + step.node.id },
         [el("strong", null, "Your answer: "), C.optionLabel(step.option),
          step.option.text ? el("span", { className: "journey-answer-text" },
                                " \u2013 " + step.option.text) : null]),
      step.others.length ? el("p", { className: "journey-others" }, "Other answers:") : null,
      branchList(area, index, step.node.id, step.others),
      exploring ? exploration(area, exploring, index) : null
    ]);
  }

  /* The other answers of a step, each a button that explores it. */
  /**
   * @param {HTMLElement} area  @param {number} index  @param {string} nodeId
   * @param {Branch[]} branches
   */
  function branchList(area, index, nodeId, branches) {
    var ul = el("ul", { className: "walk-options" });
    for (var k = 0; k < branches.length; k++) {
      (function (b) {
        var id = "walk_" + nodeId + "_" + b.option.id;
        var button = el("button", { type: "button", className: "walk-option", id: id,
                                    "aria-expanded": now.walkPath[index] === b.option.id ?
                                      "true" : "false" },
                        [el("span", { className: "walk-option-label" }, C.optionLabel(b.option)),
                         el("span", { className: "walk-option-text" }, leadsText(b))]);
        button.addEventListener("click", function () {
          now.walkPath = Tree.leaveAt(now.state.answers, index, b.option.id);
          now.walkFrom = id;
          drawWalk(area, "walk-step");
        });
        ul.appendChild(el("li", null, button));
      }(branches[k]));
    }
    return ul;
  }

  /** @param {Branch} b */
  function leadsText(b) {
    if (b.track) {
      return "Leads to: " + b.track.title;
    }
    if (b.next) {
      return "Leads to the question: " + b.next.prompt;
    }
    return "Leads nowhere yet";
  }

  /* An exploration, shown under the step it leaves the path at: the answers
   * chosen since, then the next question's answers or the track it ends on. */
  /** @param {HTMLElement} area  @param {Walk} where  @param {number} at */
  function exploration(area, where, at) {
    var box = el("div", { className: "walk-explore", id: "walk-explore" });
    var first = where.trail[at];
    box.appendChild(el("h3", { id: "walk-step", tabindex: "-1" },
                       "Exploring: \u201c" + C.optionLabel(first.option) + "\u201d"));
    if (where.trail.length > at + 1) {
      var trail = el("ol", { className: "trail", id: "walk-trail",
                             "aria-label": "Answers chosen in this exploration" });
      for (var k = at + 1; k < where.trail.length; k++) {
        trail.appendChild(el("li", null, [
          el("span", { className: "trail-q" }, where.trail[k].node.prompt), " ",
          el("strong", null, C.optionLabel(where.trail[k].option))]));
      }
      box.appendChild(trail);
    }
    if (where.outcome) {
      var t = where.outcome.track;
      box.appendChild(el("div", { className: "walk-outcome", id: "walk-outcome",
                                  "data-track": where.outcome.option.track }, [
        el("p", { className: "walk-outcome-title" }, ["This leads to: ",
          el("strong", null, t ? t.title : String(where.outcome.option.track))]),
        where.outcome.option.text ? el("p", null, where.outcome.option.text) : null,
        t ? el("p", null, ["Perfect for: ", t.perfect_for]) : null,
        t ? el("p", null, ["Where it leads: ", t.progression.join(" \u2192 ")]) : null
      ]));
    } else if (where.node) {
      var node = where.node;
      box.appendChild(el("div", { className: "walk-step", id: "walk-node", "data-node": node.id },
        [el("p", { className: "journey-q" }, node.prompt),
         node.text ? el("p", { className: "hint" }, node.text) : null,
         exploreOptions(area, node)]));
    }
    box.appendChild(el("p", { className: "walk-controls" },
                       Dom.button("walk-return", "Back to your path", "button-secondary",
                                  function () {
      var from = now.walkFrom;
      now.walkPath = [];
      drawWalk(area, from || "journey-heading");
      Dom.announce("Back to your path.");
    })));
    return box;
  }

  /** @param {HTMLElement} area  @param {TreeNode} node */
  function exploreOptions(area, node) {
    var ul = el("ul", { className: "walk-options" });
    for (var k = 0; k < node.options.length; k++) {
      (function (opt) {
        var b = el("button", { type: "button", className: "walk-option",
                               id: "explore_" + node.id + "_" + opt.id },
                   [el("span", { className: "walk-option-label" }, C.optionLabel(opt)),
                    el("span", { className: "walk-option-text" }, leadsText(Tree.branch(opt)))]);
        b.addEventListener("click", function () {
          now.walkPath.push(opt.id);
          drawWalk(area, "walk-step");
        });
        ul.appendChild(el("li", null, b));
      }(node.options[k]));
    }
    return ul;
  }

  /* Only in the screens list when the course has its `future` guidance. */
  function future() {
    var f = /** @type {NonNullable<Guidance["future"]>} */ (C.course.guidance.future);
    var s = Dom.section("future", f.heading, null);
    Dom.append(s, Dom.paragraphs(f.text));
    s.appendChild(Dom.heading(2, f.industries_heading));
    Dom.append(s, Dom.paragraphs(f.industries_text));
    var table = el("table", { className: "overview", id: "industries" });
    table.appendChild(el("caption", null, "Industries where each role is in demand"));
    table.appendChild(el("thead", null, el("tr", null, [
      el("th", { scope: "col" }, "Track"), el("th", { scope: "col" }, "Industries")
    ])));
    var body = el("tbody");
    for (var k = 0; k < C.tracks.length; k++) {
      body.appendChild(el("tr", { "data-track": C.tracks[k].id }, [
        el("th", { scope: "row" }, C.tracks[k].short_title),
        el("td", null, Dom.list("ul", tagTexts(C.tracks[k].industries), "tags"))
      ]));
    }
    table.appendChild(body);
    s.appendChild(el("div", { className: "table-scroll" }, table));
    s.appendChild(Dom.heading(2, f.work_environments_heading));
    var envs = el("ul", { className: "cards", id: "work-environments" });
    for (k = 0; k < f.work_environments.length; k++) {
      var w = f.work_environments[k];
      envs.appendChild(el("li", { className: "card", id: "env_" + w.id }, [
        el("p", { className: "card-title" }, el("strong", null, w.label)),
        el("p", null, w.text)
      ]));
    }
    s.appendChild(envs);
    PmkitIntroScreens.ownSections(s, "future");
    return s;
  }

  return { tracks: tracks, walk: walk, future: future };
}(document, PmkitCourse, PmkitDom, PmkitReport, PmkitSession, PmkitTree));
