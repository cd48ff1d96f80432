/*
 * screen-explore.js - the screens to read and explore, where nothing is
 * answered or recorded: the career tracks, the decision tree walked step by
 * step, and "your future" (industries, work environments).
 */

/* global PmkitCourse, PmkitDom, PmkitReport, PmkitSession, PmkitTree */
/* exported PmkitExploreScreens */
var PmkitExploreScreens = (function (doc, C, Dom, Report, S, Tree) {
  "use strict";

  var el = Dom.el;
  var now = S.now;

  function tracks() {
    var intro = C.course.guidance.tracks_intro;
    var s = Dom.section("tracks", intro.heading, null);
    Dom.append(s, Dom.paragraphs(intro.text));
    var rec = Report.recommendation();
    var recommended = rec.total > 0 ? (rec.tie.length ? rec.tie : [rec.track]) : [];
    var k;
    var overview = el("table", { className: "overview", id: "tracks-overview" });
    overview.appendChild(el("caption", null, "Career tracks at a glance"));
    overview.appendChild(el("thead", null, el("tr", null, [
      el("th", { scope: "col" }, "Track"),
      el("th", { scope: "col" }, "Perfect for")
    ])));
    var body = el("tbody");
    for (k = 0; k < C.tracks.length; k++) {
      body.appendChild(el("tr", null, [
        el("th", { scope: "row" }, el("a", { href: "#track-" + C.tracks[k].id },
                                      C.tracks[k].title)),
        el("td", null, C.tracks[k].perfect_for)
      ]));
    }
    overview.appendChild(body);
    s.appendChild(el("div", { className: "table-scroll" }, overview));
    for (k = 0; k < C.tracks.length; k++) {
      s.appendChild(trackSection(C.tracks[k], recommended.indexOf(C.tracks[k].id) >= 0));
    }
    return s;
  }

  /** @param {Track} t  @param {boolean} isRecommended */
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
    cols.appendChild(el("div", null, [Dom.heading(3, "What you\u2019ll do"),
                                      Dom.list("ul", t.duties)]));
    cols.appendChild(el("div", null, [Dom.heading(3, "Key skills to develop"),
                                      Dom.list("ul", t.key_skills)]));
    sec.appendChild(cols);
    sec.appendChild(Dom.heading(3, "Career progression"));
    var ladder = el("ol", { className: "ladder", "aria-label": "Career progression of " +
                            t.short_title + ", first step first" });
    for (var k = 0; k < t.progression.length; k++) {
      ladder.appendChild(el("li", { className: "rung rung-" + Math.min(k, 7) },
                            [el("span", { className: "rung-step" }, "Step " + (k + 1)),
                             " ",
                             el("span", { className: "rung-title" }, t.progression[k])]));
    }
    sec.appendChild(ladder);
    sec.appendChild(Dom.heading(3, "Industries"));
    sec.appendChild(Dom.list("ul", t.industries, "tags"));
    var courses = t.courses || [];
    if (courses.length) {
      sec.appendChild(Dom.heading(3, "Recommended courses"));
      var ul = el("ul", { className: "courses" });
      for (k = 0; k < courses.length; k++) {
        ul.appendChild(courseItem(courses[k]));
      }
      sec.appendChild(ul);
    }
    return sec;
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

  /* The decision tree, walked step by step (exploration only: nothing is recorded). */
  function walk() {
    var tree = C.tree;
    var s = Dom.section("decision-tree", tree.title, null);
    s.appendChild(el("p", { className: "lead" }, "Walk the decision tree one step at a " +
                     "time: choose an answer, see where it leads, then go back or start over " +
                     "to try another path."));
    Dom.append(s, Dom.paragraphs(tree.intro));
    var area = el("div", { className: "walk", id: "walk" });
    s.appendChild(area);
    drawWalk(area, false);
    return s;
  }

  /** @param {HTMLElement} area  @param {boolean} moveFocus */
  function drawWalk(area, moveFocus) {
    Dom.clear(area);
    var where = Tree.walk(now.walkPath);
    now.walkPath = where.choices;
    var k;
    if (where.trail.length) {
      var trail = el("ol", { className: "trail", id: "walk-trail",
                             "aria-label": "Your path so far" });
      for (k = 0; k < where.trail.length; k++) {
        trail.appendChild(el("li", null, [
          el("span", { className: "trail-q" }, where.trail[k].node.prompt), " ",
          el("strong", null, C.optionLabel(where.trail[k].option))]));
      }
      area.appendChild(Dom.heading(2, "Your path so far"));
      area.appendChild(trail);
    }
    var stepHeading = null;
    var outcome = where.outcome;
    var node = where.node;
    if (outcome) {
      stepHeading = el("h2", { id: "walk-step", tabindex: "-1" },
                       "This leads to: " + (outcome.track ? outcome.track.title :
                                            outcome.option.track));
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
                       "Step " + (now.walkPath.length + 1) + ": " + node.prompt);
      var step = el("div", { className: "walk-step", id: "walk-node", "data-node": node.id },
                    [stepHeading, node.text ? el("p", { className: "hint" }, node.text) : null]);
      var options = el("ul", { className: "walk-options" });
      for (k = 0; k < node.options.length; k++) {
        options.appendChild(el("li", null, walkOption(area, node, node.options[k])));
      }
      step.appendChild(options);
      area.appendChild(step);
    }
    var controls = el("div", { className: "walk-controls" });
    if (now.walkPath.length) {
      controls.appendChild(Dom.button("walk-back", "Back one step", "button-secondary",
                                      function () {
        now.walkPath.pop();
        drawWalk(area, true);
      }));
      controls.appendChild(Dom.button("walk-restart", "Start over", "button-secondary",
                                      function () {
        now.walkPath = [];
        drawWalk(area, true);
      }));
    }
    area.appendChild(controls);
    if (moveFocus && stepHeading) {
      stepHeading.focus();
    }
  }

  /** @param {HTMLElement} area  @param {TreeNode} node  @param {TreeOption} opt */
  function walkOption(area, node, opt) {
    var b = el("button", { type: "button", className: "walk-option",
                           id: "walk_" + node.id + "_" + opt.id },
               [el("span", { className: "walk-option-label" }, C.optionLabel(opt)),
                opt.text ? el("span", { className: "walk-option-text" }, opt.text) : null]);
    b.addEventListener("click", function () {
      now.walkPath.push(opt.id);
      drawWalk(area, true);
    });
    return b;
  }

  function future() {
    var f = C.course.guidance.future;
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
        el("td", null, Dom.list("ul", C.tracks[k].industries, "tags"))
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
    return s;
  }

  return { tracks: tracks, walk: walk, future: future };
}(document, PmkitCourse, PmkitDom, PmkitReport, PmkitSession, PmkitTree));
