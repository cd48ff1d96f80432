/*
 * app-dom.js - building the page: elements, text, form controls, the notices
 * and the screen reader announcer.
 *
 * Every content string reaches the page through a text node, textContent or an
 * attribute setter, never innerHTML: `<script>` in the content shows as text
 * (docs/scorm-package.md).
 */

/* exported PmkitDom */
var PmkitDom = (function (win, doc) {
  "use strict";

  /**
   * @typedef {Node|string|number|null|undefined|false|Array<*>} Child
   *     what el() and append() take: text, nodes, nothing, or arrays of these
   */

  /** @param {Object} obj  @param {string} key */
  function hasOwn(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  /** @param {string} id */
  function byId(id) {
    return doc.getElementById(id);
  }

  /* el("p", {className: "x", id: "y"}, ["text", child, ...]) - text via text nodes only.
   * An attribute that is null, undefined or false is left out. */
  /**
   * @param {string} tag
   * @param {Object<string, *>|null} [attrs]
   * @param {Child} [children]
   * @returns {HTMLElement & Object<string, *>}
   */
  function el(tag, attrs, children) {
    var node = doc.createElement(tag);
    var key;
    if (attrs) {
      for (key in attrs) {
        if (!hasOwn(attrs, key) || attrs[key] === null || attrs[key] === undefined ||
            attrs[key] === false) {
          continue;
        }
        if (key === "className") {
          node.className = attrs[key];
        } else if (key === "text") {
          node.textContent = attrs[key];
        } else if (key === "htmlFor" || key === "checked" || key === "disabled" ||
                   key === "selected" || key === "value") {
          /* properties, not attributes: they set the control's current state */
          /** @type {Object<string, *>} */ (node)[key] = attrs[key];
        } else {
          node.setAttribute(key, attrs[key] === true ? "" : String(attrs[key]));
        }
      }
    }
    append(node, children);
    return node;
  }

  /** @param {Node} node  @param {Child} children */
  function append(node, children) {
    if (children === null || children === undefined) {
      return node;
    }
    /** @type {Array<*>} */
    var items = Object.prototype.toString.call(children) === "[object Array]" ?
      /** @type {Array<*>} */ (children) : [children];
    for (var k = 0; k < items.length; k++) {
      var c = items[k];
      if (c === null || c === undefined || c === false) {
        continue;
      }
      if (typeof c === "string" || typeof c === "number") {
        node.appendChild(doc.createTextNode(String(c)));
      } else if (Object.prototype.toString.call(c) === "[object Array]") {
        append(node, c);
      } else {
        node.appendChild(c);
      }
    }
    return node;
  }

  /** @param {Node} node */
  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  /* Plain text -> <p> per paragraph (blank lines); single line breaks become spaces. */
  /** @param {string|null|undefined} text  @param {string} [className] */
  function paragraphs(text, className) {
    /** @type {HTMLElement[]} */
    var out = [];
    if (!text) {
      return out;
    }
    var parts = String(text).split(/\n[ \t]*\n/);
    for (var k = 0; k < parts.length; k++) {
      var t = parts[k].replace(/\s*\n\s*/g, " ").replace(/^\s+|\s+$/g, "");
      if (t) {
        out.push(el("p", { className: className }, t));
      }
    }
    return out;
  }

  /** @param {string} tag  @param {Child[]} items  @param {string} [className] */
  function list(tag, items, className) {
    var node = el(tag, { className: className });
    for (var k = 0; k < items.length; k++) {
      node.appendChild(el("li", null, items[k]));
    }
    return node;
  }

  /* A level-1 heading takes focus on every screen change, so it is focusable. */
  /** @param {number} level  @param {string} text  @param {string} [id] */
  function heading(level, text, id) {
    return el("h" + level, { id: id, tabindex: level === 1 ? "-1" : null }, text);
  }

  /* Every screen is a <section> labelled by its level-1 heading, which takes focus
   * when the screen is shown. */
  /** @param {string} id  @param {string} title  @param {string|null} intro */
  function section(id, title, intro) {
    var s = el("section", { className: "screen screen-" + id, id: "screen-" + id,
                            "aria-labelledby": "screen-heading", "data-screen": id });
    s.appendChild(heading(1, title, "screen-heading"));
    append(s, intro ? paragraphs(intro, "lead") : null);
    return s;
  }

  /* A radio button or checkbox with its label (and an optional hint under it). */
  /**
   * @param {string} type  "radio" | "checkbox"
   * @param {string} name
   * @param {string} id
   * @param {string} labelText
   * @param {boolean} checked
   * @param {function(Event): void} onChange
   * @param {string|null} [hintText]
   * @param {boolean} [disabled]
   */
  function choiceInput(type, name, id, labelText, checked, onChange, hintText, disabled) {
    var hintId = hintText ? id + "_hint" : null;
    var input = el("input", { type: type, name: name, id: id, checked: !!checked,
                              disabled: !!disabled, "aria-describedby": hintId });
    input.addEventListener("change", onChange);
    var label = el("label", { htmlFor: id }, el("span", { className: "choice-label" }, labelText));
    var row = el("div", { className: "choice" }, [input, label]);
    if (hintText) {
      label.appendChild(el("span", { className: "choice-hint", id: hintId }, hintText));
    }
    return row;
  }

  /**
   * @param {string} id
   * @param {string} text
   * @param {string|null} className
   * @param {function(): void} onClick
   */
  function button(id, text, className, onClick) {
    var b = el("button", { type: "button", id: id, className: "button " + (className || "") });
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  /* ------------------------------------------------------------- notices */

  var lastNotice = "";

  /* A non-blocking notice in the polite live region (cleared on the next screen).
   * The same text twice in a row shows once: a failing LMS repeats its error. */
  /** @param {string} text  @param {string} [kind]  "info" | "warning" | "error" */
  function notice(text, kind) {
    var box = byId("notices");
    if (!box || !text || text === lastNotice) {
      return;
    }
    lastNotice = text;
    box.appendChild(el("p", { className: "notice notice-" + (kind || "info") }, text));
    while (box.childNodes.length > 3) {
      box.removeChild(box.firstChild);
    }
  }

  function clearNotices() {
    var box = byId("notices");
    if (box) {
      clear(box);
    }
    lastNotice = "";
  }

  /* Emptied first and filled a moment later: a live region only speaks changes. */
  /** @param {string} text */
  function announce(text) {
    var region = byId("announcer");
    if (!region) {
      return;
    }
    region.textContent = "";
    win.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  return {
    byId: byId,
    el: el,
    append: append,
    clear: clear,
    paragraphs: paragraphs,
    list: list,
    heading: heading,
    section: section,
    choiceInput: choiceInput,
    button: button,
    notice: notice,
    clearNotices: clearNotices,
    announce: announce
  };
}(window, document));
