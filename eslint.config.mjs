// eslint over every script the SCORM package ships (tests/test_js_checks.py):
// ES5 classic scripts, as browsers and LMS players run them from the zip
// (docs/scorm-package.md). Node tests and tooling are not linted here.
import js from "@eslint/js";

const SHIPPED = [
  "plugins/pmkit_builtins/scorm/app/*.js",
  "plugins/pmkit_builtins/scoring/js/pmkit-scoring.js",
];

export default [
  {
    files: SHIPPED,
    ...js.configs.recommended,
  },
  {
    files: SHIPPED,
    languageOptions: {
      ecmaVersion: 5,
      sourceType: "script",
      globals: {
        window: "readonly",
        document: "readonly",
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: "error",
    },
    rules: {
      "no-shadow": ["error", { builtinGlobals: false, hoist: "all" }],
      "no-unused-vars": ["error", { vars: "all", args: "none", caughtErrors: "none" }],
      "no-implicit-globals": "error",
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-restricted-properties": ["error",
        { property: "innerHTML", message: "content reaches the page through textContent" },
        { property: "outerHTML", message: "content reaches the page through textContent" },
        { property: "insertAdjacentHTML", message: "content reaches the page through textContent" },
      ],
      "eqeqeq": ["error", "always", { null: "ignore" }],
      "strict": ["error", "function"],
    },
  },
  {
    // The scorers' twins also run under Node (tests/test_scoring_parity.py), so
    // they look for globalThis and module, each behind a typeof check.
    files: ["plugins/pmkit_builtins/scoring/js/pmkit-scoring.js"],
    languageOptions: {
      globals: { globalThis: "readonly", module: "readonly" },
    },
  },
];
