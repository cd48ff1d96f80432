/*
 * Loads pieces of the SCORM app under Node the way app.js runs them: classic
 * scripts, one after the other, sharing one global scope (here a vm context
 * whose `window` is itself). Only pieces without the DOM can be loaded this
 * way: app-course.js, app-codec.js, app-tree.js.
 *
 * PMKIT_APP_DIR: the app folder (default: the repository's); the pytest
 * wrapper points it at a broken copy to prove these tests can fail.
 * PMKIT_COURSE_DATA: a course-data.js from a real export (required).
 */
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const APP_DIR = process.env.PMKIT_APP_DIR ||
  path.join(__dirname, "..", "..", "plugins", "pmkit_builtins", "scorm", "app");

/* PMKIT_PACKAGE from course-data.js (`var PMKIT_PACKAGE = {...};`), as a fresh copy. */
function packageData() {
  const file = process.env.PMKIT_COURSE_DATA;
  if (!file) {
    throw new Error("PMKIT_COURSE_DATA is not set: run these tests through " +
                    "tests/test_app_units.py");
  }
  const sandbox = {};
  vm.createContext(sandbox);
  vm.runInContext(fs.readFileSync(file, "utf8"), sandbox, { filename: file });
  return JSON.parse(JSON.stringify(sandbox.PMKIT_PACKAGE));
}

/* The pieces' globals (PmkitCourse, PmkitCodec, PmkitTree, ...) for `pkg`. */
function loadApp(pkg, pieces) {
  const context = { PMKIT_PACKAGE: pkg };
  context.window = context;
  vm.createContext(context);
  for (const name of pieces || ["app-course.js", "app-codec.js", "app-tree.js"]) {
    const file = path.join(APP_DIR, name);
    vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
  }
  return context;
}

/* Values from the vm context compared with deepStrictEqual need this realm's prototypes. */
function plain(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

module.exports = { packageData, loadApp, plain };
