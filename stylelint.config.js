// Stylelint for the theme's and the widgets' CSS (`make lint`): the standard
// config, relaxed only where this code differs on purpose.
export default {
  extends: ["stylelint-config-standard"],
  ignoreFiles: ["node_modules/**", ".venv/**", "output/**", "cache/**", "tools/lighthouse/**"],
  rules: {
    // The type scale is --step--1, --step-0 ... --step-3: "--1" is step minus
    // one (the Utopia naming), so a double hyphen is allowed before a digit.
    "custom-property-pattern": [
      "^[a-z][a-z0-9]*(-[a-z0-9]+)*(--[0-9]+)?$",
      { message: (name) => `Expected custom property "${name}" to be kebab-case (--step--1 allowed)` },
    ],
    // Font stacks in custom properties (--font-body...) are family names,
    // which keep their own capitals; Stylelint cannot tell them from keywords.
    "value-keyword-case": ["lower", { ignoreProperties: ["/^--font-/"], camelCaseSvgKeywords: true }],
    // Token groups in :root (type, space, colours) are separated by blank lines.
    "custom-property-empty-line-before": null,
    // Rules are ordered by component (header, lists, article...), not by
    // specificity, and the widgets' rules are all :where() (zero specificity).
    "no-descending-specificity": null,
    // Safari on iOS still needs the prefix to keep its text size on rotation.
    "property-no-vendor-prefix": [true, { ignoreProperties: ["-webkit-text-size-adjust"] }],
  },
};
