// <tip-checklist>: enhances the checklist form the checklist plugin renders
// (plugins/checklist). Ticks are saved in localStorage under
// checklist:<id>:<hash of the items>, so an edited list starts clean; progress
// goes to a polite live region; a reset button appears. A weekly list
// (data-weekly) starts fresh each local calendar week (Monday to Sunday), keeps
// a history of weeks under checklist:<id>:weeks and shows the streak of
// completed weeks. Storage failures only turn saving off.
import {
  load,
  OFF,
  set,
  formatDay,
  isDayKey,
  loadHistory,
  make,
  setText as text,
  storageKey,
  weekKey as week,
  withEntry,
} from "./widget-core.js";

// More items than any checklist holds: a stored count above it is not ours.
const MAX_ITEMS = 1000;

// Weeks are keyed by the local date of their Monday (widget-core.js).
const complete = (e) => e.total > 0 && e.done >= e.total;

class TipChecklist extends HTMLElement {
  connectedCallback() {
    if (this.boxes) return;
    const { checklistId: id, checklistHash: hash } = this.dataset;
    const $ = (selector) => this.querySelector(selector);
    this.boxes = [...this.querySelectorAll("input[type=checkbox]")];
    this.weekly = this.hasAttribute("data-weekly");
    this.key = storageKey("checklist", id, hash);
    this.weeksKey = storageKey("checklist", id, "weeks");
    this.progress = $(".checklist-progress");
    this.note = $(".checklist-storage-note");
    this.weeks = $(".checklist-weeks");
    $(".checklist-actions").hidden = false;
    $(".checklist-reset").addEventListener("click", () => {
      for (const box of this.boxes) box.checked = false;
      this.save();
    });
    this.addEventListener("change", () => this.save());
    // Ticked in another tab, or back to the page after a new week began.
    addEventListener("storage", (e) => e.key?.startsWith(storageKey("checklist", id, "")) && this.restore());
    document.addEventListener("visibilitychange", () => document.hidden || this.restore());
    this.restore();
  }

  restore() {
    const [data, status] = load(this.key);
    let ticks = Array.isArray(data?.ticks) ? data.ticks : [];
    if (this.weekly && data?.week !== week()) ticks = [];
    // With saving off, the boxes on the page are all there is: keep them.
    if (status !== OFF) this.boxes.forEach((box, i) => (box.checked = ticks.includes(i)));
    this.show(status);
  }

  save() {
    const ticks = [];
    this.boxes.forEach((box, i) => box.checked && ticks.push(i));
    const now = week();
    let status = set(this.key, this.weekly ? { week: now, ticks } : { ticks });
    if (this.weekly) {
      const entry = { week: now, done: ticks.length, total: this.boxes.length };
      if (set(this.weeksKey, withEntry(this.history(), "week", entry, 104)) === OFF) status = OFF;
    }
    this.show(status);
  }

  history() {
    return loadHistory(
      this.weeksKey,
      // counts are whole numbers, done never above total, total a list's size
      (e) =>
        isDayKey(e.week) &&
        Number.isInteger(e.done) &&
        Number.isInteger(e.total) &&
        e.done >= 0 &&
        e.done <= e.total &&
        e.total <= MAX_ITEMS,
    );
  }

  show(status) {
    const done = this.boxes.filter((box) => box.checked).length;
    const total = this.boxes.length;
    text(this.progress, `${done} of ${total} done${this.weekly ? " this week" : ""}`);
    this.note.hidden = status !== OFF;
    if (!this.weekly) return;
    this.weeks.hidden = status === OFF;
    const now = week();
    const history = this.history();
    const completed = new Set(history.filter(complete).map((e) => e.week));
    completed.delete(now);
    if (done === total) completed.add(now);
    // Count back from this week if it is complete, else from last week.
    const from = completed.has(now) ? 0 : -1;
    let streak = 0;
    while (completed.has(week(from - streak))) streak++;
    text(
      this.querySelector(".checklist-streak"),
      streak
        ? `Streak: ${streak} week${streak > 1 ? "s" : ""} in a row` +
            (from ? `. Finish this week to make it ${streak + 1}.` : ".")
        : "No streak right now: tick every item this week to start one.",
    );
    const items = history
      .filter((e) => e.week < now)
      .sort((a, b) => (a.week < b.week ? 1 : -1))
      .slice(0, 8)
      .map((e) => {
        const li = make("li", `Week of ${formatDay(e.week)}: ${e.done} of ${e.total} done`);
        li.classList.toggle("complete", complete(e));
        return li;
      });
    if (!items.length) items.push(make("li", "None yet."));
    this.querySelector(".checklist-history").replaceChildren(...items);
  }
}

if (!customElements.get("tip-checklist")) customElements.define("tip-checklist", TipChecklist);
