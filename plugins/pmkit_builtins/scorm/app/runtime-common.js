/*
 * The part of the LMS adapter that does not depend on the SCORM version:
 * finding the LMS's API object (window.parent chain, bounded, then the
 * opener's), calling it without ever letting a failure reach the page, and
 * the number formats both versions use. The exporter writes this file and
 * runtime-12.js or runtime-2004.js together into scorm-runtime.js, so each
 * version module stays one module and shares this code.
 *
 * PmkitLms.connect(win, apiName, methods) -> connection
 *   methods: {getLastError, getErrorString, getValue, setValue} (the version's names)
 *   connection.api, .initialized, .finished, .last, .notify   (state the version module sets)
 *   connection.recording   false = the LMS's review or browse mode: .set refuses every write
 *   connection.find()  connection.call(fn, args, element)  .get(element)  .set(element, value)
 * PmkitLms.pad(n, width), PmkitLms.decimal(value), PmkitLms.mode(value)
 * PmkitLms.duration(ms): ISO 8601 PT#H#M#S with at most two decimals (SCORM 2004's
 *   timeinterval and xAPI's duration, which both keep hundredths of a second)
 * PmkitLms.callsBack(open) -> start(notify, done): the app's start-up is asynchronous
 *   (the cmi5 runtime must fetch before the first screen); a SCORM API answers at
 *   once, so its start calls done(info) before it returns, as fast as before.
 *
 * ES5, no dependencies, never throws.
 */
(function (win) {
  "use strict";

  var MAX_DEPTH = 10;

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) {
      s = "0" + s;
    }
    return s;
  }

  /* ISO 8601 duration, hundredths of a second at most. */
  function duration(ms) {
    var cs = Math.max(0, Math.round((ms || 0) / 10));
    var hours = Math.floor(cs / 360000);
    var minutes = Math.floor((cs % 360000) / 6000);
    var seconds = (cs % 6000) / 100;
    var s = seconds.toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
    return "PT" + hours + "H" + minutes + "M" + s + "S";
  }

  /* A decimal string with at most four places and no trailing zeros. */
  function decimal(value) {
    var s = (Math.round(value * 10000) / 10000).toFixed(4);
    s = s.replace(/0+$/, "").replace(/\.$/, "");
    return s === "-0" ? "0" : s;
  }

  /* The LMS's launch mode: "review" and "browse" as given, anything else (including
   * "" from an LMS that does not fill the element in) is "normal". */
  function mode(value) {
    var m = String(value || "").toLowerCase();
    return m === "review" || m === "browse" ? m : "normal";
  }

  function ok(result) {
    return result === true || result === "true";
  }

  function connect(w0, apiName, methods) {
    /** @type {LmsConnection} */
    var c = { api: null, initialized: false, finished: false, last: null, recording: true,
              notify: function () {}, find: find, call: call, get: get, set: set };

    function scan(w) {
      for (var depth = 0; w && depth <= MAX_DEPTH; depth++) {
        try {
          if (w[apiName]) {
            return w[apiName];
          }
        } catch (e) {
          /* a cross-origin frame: keep climbing */
        }
        var parent;
        try {
          parent = w.parent;
        } catch (e2) {
          parent = null;
        }
        if (!parent || parent === w) {
          return null;
        }
        w = parent;
      }
      return null;
    }

    function find() {
      var found = scan(w0);
      if (!found) {
        try {
          if (w0.opener) {
            found = scan(w0.opener);
          }
        } catch (e) {
          found = null;
        }
      }
      if (!found) {
        try {
          if (w0.top && w0.top !== w0 && w0.top.opener) {
            found = scan(w0.top.opener);
          }
        } catch (e2) {
          found = null;
        }
      }
      c.api = found;
      return found;
    }

    function errorOf(fn, element) {
      var code;
      var text;
      try {
        code = String(c.api[methods.getLastError]());
      } catch (e) {
        code = "unknown";
      }
      if (code === "0" || code === "") {
        return null;
      }
      try {
        text = String(c.api[methods.getErrorString](code) || "");
      } catch (e2) {
        text = "";
      }
      return { code: code, text: text, call: fn + (element ? " " + element : "") };
    }

    function report(err) {
      c.last = err;
      var texts = (win.PMKIT_PACKAGE && win.PMKIT_PACKAGE.strings) || {};
      var what = err.text ? err.text : texts["app.lms_error.no_description"];
      try {
        c.notify(String(texts["app.lms_error"]).replace("{code}", err.code)
          .replace("{description}", what).replace("{call}", err.call));
      } catch (e) {
        /* the page's notifier failed: nothing else to do */
      }
    }

    /* Run api[fn](args); report a failure (a non-zero last error code). */
    function call(fn, args, element) {
      if (!c.api) {
        return false;
      }
      var result;
      try {
        result = c.api[fn].apply(c.api, args);
      } catch (e) {
        report({ code: "exception", text: String(e && e.message ? e.message : e), call: fn });
        return false;
      }
      if (ok(result)) {
        return true;
      }
      var err = errorOf(fn, element);
      if (err) {
        report(err);
      } else {
        c.last = { code: "0", text: "returned " + String(result), call: fn };
      }
      return false;
    }

    /* Reads never raise a notice (an empty value is normal). */
    function get(element) {
      if (!c.api || !c.initialized) {
        return "";
      }
      try {
        var value = c.api[methods.getValue](element);
        return value === null || value === undefined ? "" : String(value);
      } catch (e) {
        return "";
      }
    }

    /* In review and browse modes the LMS shows an attempt without letting it change
     * (Moodle stores whatever a SCO writes into the attempt it opened, even a
     * finished one): every write is refused here, in one place, so no caller can
     * forget (docs/scorm-package.md, "Review and browse modes"). */
    function set(element, value) {
      if (!c.api || !c.initialized || c.finished || !c.recording) {
        return false;
      }
      return c.call(methods.setValue, [element, String(value)], element);
    }

    return c;
  }

  /** @param {function(*): StartInfo} open */
  function callsBack(open) {
    return function (notify, done) {
      var info = open(notify);
      if (typeof done === "function") {
        done(info);
      }
      return info;
    };
  }

  win.PmkitLms = { connect: connect, pad: pad, decimal: decimal, duration: duration, mode: mode,
                   callsBack: callsBack };
})(typeof window !== "undefined" ? window : this);
