// ESLint (flat config) for the browser JavaScript: the widgets' ES modules in
// plugins/ and anything in theme/. `make lint` runs it with no warnings allowed.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", ".venv/", "output/", "cache/", "tools/lighthouse/", "bench-results/"] },
  js.configs.recommended,
  {
    // Served as-is to browsers as <script type="module">: no bundler, no Node.
    files: ["plugins/**/*.js", "theme/**/*.js"],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: globals.browser,
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    files: ["*.config.js"],
    languageOptions: { sourceType: "module", globals: globals.node },
  },
];
