/*
 * screen-recommendation.js - the recommendation: the headline (or the tie),
 * the points chart and the answers that led to it. Shown on its own screen and
 * again in the results on the Finish screen.
 */

/* global PmkitCourse, PmkitDom, PmkitReport */
/* exported PmkitRecommendationScreen */
var PmkitRecommendationScreen = (function (C, Dom, Report) {
  "use strict";

  var el = Dom.el;
  var trackById = C.trackById;

  /** @param {Object<string, number>} points  @returns {string} "+3 Technical PM, ..." */
  function pointsText(points) {
    var parts = [];
    for (var k = 0; k < C.tracks.length; k++) {
      var id = C.tracks[k].id;
      if (C.hasOwn(points, id) && points[id] > 0) {
        parts.push("+" + points[id] + " " + C.tracks[k].short_title);
      }
    }
    return parts.join(", ");
  }

  /** @param {string[]} names  @returns {string} "a, b and c" */
  function joinNames(names) {
    if (names.length <= 1) {
      return names.join("");
    }
    return names.slice(0, -1).join(", ") + " and " + names[names.length - 1];
  }

  /* The headline, ties, the chart and the reasons. */
  /** @param {Recommendation} rec  @param {number} headingLevel */
  function block(rec, headingLevel) {
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
    box.appendChild(Dom.heading(headingLevel, "What led to this"));
    if (rec.contributions.length === 0) {
      box.appendChild(el("p", null, "None of your answers added points yet."));
    } else {
      var reasons = el("ul", { className: "reasons", id: "reasons" });
      for (k = 0; k < rec.contributions.length; k++) {
        reasons.appendChild(reason(rec.contributions[k]));
      }
      box.appendChild(reasons);
    }
    return box;
  }

  /* One answer that added points: the question, the answer given, the points. */
  /** @param {Contribution} c */
  function reason(c) {
    var question;
    var answerText;
    if (C.hasOwn(C.sdById, c.question)) {
      question = C.sdById[c.question].text;
      answerText = "Yes";
    } else {
      var node = C.hasOwn(C.nodeById, c.question) ? C.nodeById[c.question] : null;
      question = node ? node.prompt : c.question;
      var idx = node ? C.indexOfId(node.options, c.answer) : -1;
      answerText = idx >= 0 ? C.optionLabel(node.options[idx]) : String(c.answer);
    }
    return el("li", { "data-question": c.question }, [
      el("span", { className: "reason-question" }, question),
      " ",
      el("span", { className: "reason-answer" }, "Your answer: " + answerText + "."),
      " ",
      el("span", { className: "reason-points" }, pointsText(c.points))
    ]);
  }

  /* The chart is a table (points and share per track) with a bar per row: it
   * reads the same to a screen reader and prints without scripts or images. */
  /** @param {Recommendation} rec */
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
      body.appendChild(el("tr", { "data-track": t.track,
                                  className: top && rec.total > 0 ? "top" : null }, [
        el("th", { scope: "row" }, C.trackName(t.track)),
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

  function screen() {
    var rec = Report.recommendation();
    Report.writeObjectives(rec);
    var s = Dom.section("recommendation", "Your recommendation", null);
    s.appendChild(block(rec, 2));
    var choice = C.course.guidance.making_your_choice;
    if (choice) {
      s.appendChild(el("div", { className: "aside" }, [Dom.heading(2, choice.heading),
                                                        Dom.paragraphs(choice.text)]));
    }
    return s;
  }

  return { block: block, screen: screen };
}(PmkitCourse, PmkitDom, PmkitReport));
