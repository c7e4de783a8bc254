// Helpers shared by the site's widgets (assessment.js, checklist.js): the
// reader's local calendar days, storage keys, saved histories read back
// safely, and two small DOM helpers. Published next to safe-storage.js, so
// widgets import it as "./widget-common.js".
//
// A day is a "YYYY-MM-DD" key of the reader's local calendar, made and read
// with calendar arithmetic (never by adding milliseconds), so time zones and
// daylight-saving changes cannot shift it.
import { load } from "./safe-storage.js";

const pad = (n) => String(n).padStart(2, "0");

// The local day of `date` (today by default).
export const dayKey = (date = new Date()) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

// The Monday that starts the reader's local week, `shift` weeks from this one.
export const weekKey = (shift = 0) => {
  const d = new Date();
  return dayKey(new Date(d.getFullYear(), d.getMonth(), d.getDate() - ((d.getDay() + 6) % 7) + 7 * shift));
};

// Midnight, local time, of a day key.
export const localDate = (key) => {
  const [y, m, d] = key.split("-");
  return new Date(y, m - 1, d);
};

// A stored day key is trusted only if it is a real calendar day ("2026-02-30"
// and "9999-99-99" are not) no more than a day ahead of the reader's clock.
export const isDayKey = (value) => {
  if (typeof value !== "string" || !/^\d{4}-\d\d-\d\d$/.test(value)) return false;
  const day = localDate(value);
  const tomorrow = new Date();
  tomorrow.setDate(tomorrow.getDate() + 1);
  return dayKey(day) === value && day <= tomorrow;
};

// A day key in words, in the page's language ("March 2, 2026" in English).
export const formatDay = (key, options = { day: "numeric", month: "long", year: "numeric" }) =>
  localDate(key).toLocaleDateString(document.documentElement.lang || undefined, options);

// localStorage keys: "<widget>:<id>:<hash or part>".
export const storageKey = (...parts) => parts.join(":");

// A saved history (a list of objects) with only the entries `valid` accepts;
// anything else stored under `key` (not a list, not JSON, blocked) is [].
// Stored text is untrusted: the page only ever shows what passes `valid`.
export const loadHistory = (key, valid) => {
  const [list] = load(key);
  return Array.isArray(list) ? list.filter((e) => e !== null && typeof e === "object" && valid(e)) : [];
};

// `list` with `entry` replacing any entry of the same `field` value, at the
// end, keeping the last `max` entries.
export const withEntry = (list, field, entry, max) =>
  [...list.filter((e) => e[field] !== entry[field]), entry].slice(-max);

export const make = (tag, text = "", props) => Object.assign(document.createElement(tag), { textContent: text }, props);

// Sets the text only when it changes, so a live region does not announce
// the same words again.
export const setText = (element, value) => {
  if (element.textContent !== value) element.textContent = value;
};
