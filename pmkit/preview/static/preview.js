/*
 * The preview page: plays the LMS for the course in the frame (the SCORM API from
 * lms-api.js, a panel of every call and value), swaps in the build's errors when the
 * content does not build, and follows the server's rebuilds (long polling /_preview/wait).
 * Every text from the content or the server reaches the page through textContent.
 */
(function () {
  "use strict";

  var INITIAL = {
    "1.2": { "cmi.core.student_id": "preview", "cmi.core.student_name": "Preview, Author",
             "cmi.core.credit": "credit", "cmi.core.entry": "ab-initio",
             "cmi.core.lesson_mode": "normal", "cmi.core.total_time": "0000:00:00" },
    "2004": { "cmi.learner_id": "preview", "cmi.learner_name": "Author Preview",
              "cmi.credit": "credit", "cmi.entry": "ab-initio", "cmi.mode": "normal" }
  };
  var generation = 0;
  var state = null;
  var api = null;
  var view = "course";
  var calls = 0;

  function $(id) { return document.getElementById(id); }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function version() {
    var checked = document.querySelector("input[name=version]:checked");
    return checked ? checked.value : "1.2";
  }

  function where(issue) {
    if (!issue.file) { return ""; }
    if (issue.line === null || issue.line === undefined) { return issue.file; }
    return issue.file + ":" + issue.line + ":" + issue.column;
  }

  function setStatus(text, bad) {
    var status = $("status");
    status.textContent = text;
    status.className = bad ? "bad" : "";
  }

  /* ---------------------------------------------------------------- LMS panel */

  function showValues() {
    var body = $("cmi").tBodies[0];
    clear(body);
    if (!api) { return; }
    var values = api.values();
    Object.keys(values).forEach(function (key) {
      var row = el("tr");
      row.appendChild(el("td", key));
      row.appendChild(el("td", values[key]));
      body.appendChild(row);
    });
  }

  function record(entry) {
    calls += 1;
    var text = "#" + entry.seq + " " + entry.method + "(" +
      entry.args.map(function (a) { return JSON.stringify(a); }).join(", ") + ") \u2192 " +
      JSON.stringify(entry.result);
    var failed = entry.error !== "0";
    if (failed) { text += "  error " + entry.error + ": " + entry.errorText; }
    var item = el("li", text, failed ? "failed" : "");
    $("calls").appendChild(item);
    $("call-count").textContent = "(" + calls + ")";
    showValues();
    item.scrollIntoView({ block: "nearest" });
  }

  function launch() {
    var v = version();
    var owner = null;
    /* A course page that was replaced may still call its old API: not shown. */
    owner = window.PmkitPreviewLms.create(v, INITIAL[v], function (entry) {
      if (owner === api) { record(entry); }
    });
    api = owner;
    try { delete window.API; } catch (e) { window.API = undefined; }
    try { delete window.API_1484_11; } catch (e2) { window.API_1484_11 = undefined; }
    window[v === "1.2" ? "API" : "API_1484_11"] = api;
    calls = 0;
    clear($("calls"));
    $("call-count").textContent = "";
    showValues();
    $("course-frame").src = "/course/" + v + "/index.html?build=" + generation;
  }

  /* ---------------------------------------------------------------- errors and checks */

  function issueItem(issue, copyable) {
    var item = el("li");
    var position = where(issue);
    if (position && copyable) {
      var button = el("button", position, "where");
      button.type = "button";
      button.title = "Copy " + position;
      button.addEventListener("click", function () { copy(position); });
      item.appendChild(button);
      item.appendChild(document.createTextNode(" "));
    } else if (position) {
      item.appendChild(el("span", position + " ", "where"));
    }
    item.appendChild(el("span", issue.severity, "severity-" + issue.severity));
    item.appendChild(document.createTextNode(": " + issue.message));
    return item;
  }

  function copy(text) {
    function done() { setStatus("Copied " + text); }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () {
        setStatus("Copy this position: " + text);
      });
    } else {
      setStatus("Copy this position: " + text);
    }
  }

  function showErrors(s) {
    var list = $("errors");
    clear(list);
    s.errors.forEach(function (issue) { list.appendChild(issueItem(issue, true)); });
    var n = s.errors.length;
    $("errors-heading").textContent = "The course does not build: " + n +
      (n === 1 ? " problem" : " problems");
  }

  function showChecks(s) {
    var list = $("checks");
    clear(list);
    var total = s.warnings.length;
    var groups = [["Content", s.warnings]];
    Object.keys(s.checks).forEach(function (name) {
      groups.push(["Format " + name, s.checks[name]]);
      total += s.checks[name].length;
    });
    groups.forEach(function (group) {
      var item = el("li");
      item.appendChild(el("h3", group[0]));
      if (!group[1].length) {
        item.appendChild(el("p", "No warnings.", "fine"));
      } else {
        var inner = el("ul");
        group[1].forEach(function (issue) { inner.appendChild(issueItem(issue, true)); });
        item.appendChild(inner);
      }
      list.appendChild(item);
    });
    Object.keys(s.failedChecks).forEach(function (name) {
      var item = el("li");
      item.appendChild(el("h3", "Format " + name));
      item.appendChild(el("p", "Could not run its check: " + s.failedChecks[name],
                          "severity-warning"));
      list.appendChild(item);
    });
    $("checks-count").textContent = "(" + total + ")";
  }

  /* ---------------------------------------------------------------- views */

  function show(name) {
    view = name;
    Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (tab) {
      tab.setAttribute("aria-pressed", tab.getAttribute("data-view") === name ? "true" : "false");
    });
    var ok = state && state.ok;
    $("errors-view").hidden = !(state && !state.ok);
    $("course-view").hidden = !(ok && name === "course");
    $("handout-view").hidden = !(ok && name === "handout");
    $("checks-view").hidden = !(ok && name === "checks");
    if (ok && name === "handout") {
      var url = "/handout/?build=" + generation;
      if ($("handout-frame").getAttribute("src") !== url) { $("handout-frame").src = url; }
    }
  }

  function apply(s) {
    if (!s || s.building || s.generation === generation) { return; }
    state = s;
    generation = s.generation;
    document.body.setAttribute("data-generation", String(generation));
    document.body.setAttribute("data-ok", s.ok ? "true" : "false");
    if (s.title) {
      $("course-title").textContent = s.title;
      document.title = s.title + " \u2014 pmkit preview";
    }
    if (s.ok) {
      setStatus("Built in " + s.seconds + " s (build " + generation + "); SCORM " + version() + ".");
      showChecks(s);
      launch();
    } else {
      setStatus(s.errors.length + (s.errors.length === 1 ? " problem" : " problems") +
                " in the content (build " + generation + ")", true);
      showErrors(s);
      api = null;
      $("course-frame").src = "about:blank";
    }
    show(view);
  }

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", "/_preview/wait?since=" + generation);
    request.onload = function () {
      var ok = request.status === 200;
      if (ok) {
        try { apply(JSON.parse(request.responseText)); } catch (e) { ok = false; }
      }
      window.setTimeout(poll, ok ? 0 : 1000);
    };
    request.onerror = function () {
      setStatus("The preview server is not answering (stopped?). Retrying\u2026", true);
      window.setTimeout(poll, 2000);
    };
    request.send();
  }

  Array.prototype.forEach.call(document.querySelectorAll(".tab"), function (tab) {
    tab.addEventListener("click", function () { show(tab.getAttribute("data-view")); });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[name=version]"), function (r) {
    r.addEventListener("change", function () {
      if (state && state.ok) {
        setStatus("SCORM " + version() + ": a new attempt.");
        launch();
      }
    });
  });
  $("restart").addEventListener("click", function () {
    if (state && state.ok) { launch(); setStatus("A new attempt (SCORM " + version() + ")."); }
  });
  window.pmkitPreview = { api: function () { return api; } };
  poll();
})();
