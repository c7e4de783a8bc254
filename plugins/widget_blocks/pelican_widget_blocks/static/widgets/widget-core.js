// The widget core's browser side, shared by the site's widgets (assessment.js,
// checklist.js): localStorage that never throws, the reader's local calendar
// days, storage keys, saved histories read back safely, two small DOM
// helpers and the self-assessment's coaching rule (advise: the result page
// and the weekly focus must agree). Widgets import it as "./widget-core.js";
// the build publishes each widget's script with this module folded in
// (pelican_glue.py), so a page with a widget fetches one script, not three.
//
// Storage can be blocked (privacy settings, sandboxed frames), full, or hold
// text that is not JSON; none of these may break a page.
//   load(key) -> [value or undefined, status]   set(key, value) -> status
//   remove(key) -> status
// status is OK, or OFF ("saving off") when nothing can be kept. Unreadable
// JSON loads as undefined with status OK: the next set() overwrites it.
//
// A day is a "YYYY-MM-DD" key of the reader's local calendar, made and read
// with calendar arithmetic (never by adding milliseconds), so time zones and
// daylight-saving changes cannot shift it.
export const OK = "ok";
export const OFF = "saving off";

let store = null;
try {
  store = window.localStorage;
  store.setItem("safe-storage", "1");
  store.removeItem("safe-storage");
} catch {
  store = null;
}

export function load(key) {
  if (!store) return [undefined, OFF];
  let raw;
  try {
    raw = store.getItem(key);
  } catch {
    return [undefined, OFF];
  }
  try {
    return [raw == null ? undefined : JSON.parse(raw), OK];
  } catch {
    return [undefined, OK];
  }
}

export function set(key, value) {
  try {
    store.setItem(key, JSON.stringify(value));
    return OK;
  } catch {
    return OFF;
  }
}

export function remove(key) {
  try {
    store.removeItem(key);
    return OK;
  } catch {
    return OFF;
  }
}

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

// A day key in words. `sample` is the site's DEFAULT_DATE_FORMAT applied to
// Saturday 3 February 2001 by the build (a widget's data-date-sample), so
// dates read as in the site's articles ("2 November 2026"); without one, or
// with one in another language, the page language's long date is used.
const TOKENS = /2001|February|Feb|Saturday|Sat|0[1-3]|[23]/g;
export const formatDay = (key, sample, month = "long") => {
  const d = localDate(key);
  const f = (o) => d.toLocaleDateString(document.documentElement.lang || undefined, o);
  if (!sample || /[\p{L}\d]/u.test(sample.replace(TOKENS, ""))) return f({ day: "numeric", month, year: "numeric" });
  const m = d.getMonth() + 1;
  const parts = {
    2001: d.getFullYear(),
    "01": pad(d.getFullYear() % 100),
    February: f({ month }),
    Feb: f({ month: "short" }),
    Saturday: f({ weekday: "long" }),
    Sat: f({ weekday: "short" }),
    "02": pad(m),
    "03": pad(d.getDate()),
    2: m,
    3: d.getDate(),
  };
  return sample.replace(TOKENS, (t) => parts[t]);
};

// A coach's reading of a result, one rule for the self-assessment's "Your
// step this week" and the weekly page's "This week's focus". `habits`: the
// finished ones with bands, in page order, each { score, top } (top: in its
// top band); `complete`: every statement answered.
// - steps: the habits to work on, the first one first: those below their
//   top band, lowest score first; none below it, once complete, all of them,
//   lowest first (so a top-band habit is never called weak, and half an
//   answer never names a strong habit).
// - strength: the best habit, once complete or when it is in its top band.
// Of equal scores, the one met first on the page comes first.
export const advise = (habits, complete = true) => {
  const byScore = [...habits].sort((a, b) => a.score - b.score);
  const below = byScore.filter((h) => !h.top);
  const best = habits.reduce((a, h) => (h.score > a.score ? h : a), habits[0]);
  return {
    steps: below.length || !complete ? below : byScore,
    strength: best && (complete || best.top) ? best : null,
  };
};

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
