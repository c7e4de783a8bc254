// The reader's plan: what a complete result leaves for the "This week's
// focus" block (assessment-focus.js), in localStorage under
// assessment-plan:<id>. Record format: plugins/assessment/README.md. Stored
// text is untrusted: everything read back is checked before use.
import { advise, dayKey, isDayKey, load, remove, set, storageKey } from "./widget-core.js";

export const VERSION = 1;
export const planKey = (id) => storageKey("assessment-plan", id);

const text = (value, max) => typeof value === "string" && value.length <= max;
const habitId = (value) => text(value, 100) && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value);

// A path on this site, or null: only links back to this origin are kept.
export const samePath = (href) => {
  try {
    const url = new URL(href, location.href);
    return url.origin === location.origin && /^https?:$/.test(url.protocol) ? url.pathname + url.search + url.hash : null;
  } catch {
    return null;
  }
};

// A stored path is used only if it still resolves to this origin.
const storedPath = (value) => value === "" || (text(value, 2000) && value.startsWith("/") && samePath(value) === value);

// From assessment.js: its data and a complete result ({ dims: [{ d, score,
// band, top }] }) of the day `date`. Steps come from the scoring key, where
// tips have their links. A new result resets the focus; the same scores
// again keep the reader's choice.
export function savePlan(data, result, date = dayKey()) {
  const habits = result.dims
    .filter((x) => x.band)
    .map(({ d, score, band, top }) => {
      const tip = document.getElementById(band.element)?.querySelector(".assessment-tips li");
      const link = tip?.querySelector("a[href]");
      return {
        id: d.id,
        name: d.name,
        score,
        band: band.name,
        top,
        step: tip ? tip.textContent.replace(/\s+/g, " ").trim().slice(0, 1000) : "",
        href: (link && samePath(link.getAttribute("href"))) || "",
      };
    });
  const old = loadPlan(data.id);
  const same = old && old.habits.map((h) => `${h.id}:${h.score}`).join() === habits.map((h) => `${h.id}:${h.score}`).join();
  const record = {
    version: VERSION,
    assessment: data.id,
    title: data.title,
    page: location.pathname,
    date,
    focus: same ? old.focus : null,
    habits,
  };
  return valid(record, data.id) ? set(planKey(data.id), record) : undefined;
}

function valid(plan, id) {
  if (plan === null || typeof plan !== "object" || plan.version !== VERSION || plan.assessment !== id) return false;
  const { habits } = plan;
  if (!Array.isArray(habits) || !habits.length || habits.length > 50) return false;
  const ids = new Set();
  for (const h of habits) {
    if (h === null || typeof h !== "object" || !habitId(h.id) || ids.has(h.id)) return false;
    ids.add(h.id);
    if (!text(h.name, 200) || !h.name.trim() || !text(h.band, 200) || !text(h.step, 1000)) return false;
    if (!Number.isInteger(h.score) || h.score < 0 || h.score > 100 || !storedPath(h.href)) return false;
    // `top` (in its top band) came after the first plans: those lack it.
    if (h.top !== undefined && typeof h.top !== "boolean") return false;
  }
  return (
    text(plan.title, 300) &&
    storedPath(plan.page) &&
    isDayKey(plan.date) &&
    (plan.focus === null || ids.has(plan.focus))
  );
}

// The plan for assessment `id`, or null when there is none, it cannot be
// read, or it is not one this script wrote.
export function loadPlan(id) {
  const [plan] = load(planKey(id));
  return valid(plan, id) ? plan : null;
}

// What the result suggests, by the rule of the result's own step card
// (advise, in the widget core): the habit to work on (the weakest, or with
// every habit in its top band the one with most room) and the strength.
export const suggest = (plan) => {
  const { steps, strength } = advise(plan.habits);
  return { step: steps[0], strength };
};

export const focusOf = (plan) => plan.habits.find((h) => h.id === plan.focus) || suggest(plan).step;

// A plan from before habits said whether they are in their top band.
export const outdated = (plan) => plan.habits.some((h) => h.top === undefined);

// On the assessment page: the plan of the last kept result (`dims` as in a
// result, scored from its history entry of `date`), unless a current plan
// is at least as new. So results kept before plans existed, or before plans
// knew top bands, give a plan without a new answer. A damaged entry (a
// habit's score missing or off the scale) gives none: savePlan saves only
// what valid() accepts.
export function renewPlan(data, dims, date) {
  const old = loadPlan(data.id);
  if ((old && !outdated(old) && old.date >= date) || dims.some((x) => x.d.bands.length && !x.band)) return;
  savePlan(data, { dims }, date);
}

// Saves a plan whose focus the reader changed; returns the storage status.
export const chooseFocus = (plan) => set(planKey(plan.assessment), plan);

// Deleting an assessment's history deletes its plan too: it is a saved result.
export const forgetPlan = (id) => remove(planKey(id));
