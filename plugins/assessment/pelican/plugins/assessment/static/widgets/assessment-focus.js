// <habit-focus>: "This week's focus", filled from the plan a complete
// assessment left in this browser (assessment-plan.js). Without a valid plan,
// or with storage blocked, the element stays hidden and the page reads as it
// does without JavaScript. Stored text is set with textContent only, and
// links only ever point to paths on this site.
import { OFF } from "./safe-storage.js";
import { chooseFocus, focusOf, loadPlan, planKey, weakest } from "./assessment-plan.js";
import { formatDay, make, setText } from "./widget-common.js";

class HabitFocus extends HTMLElement {
  connectedCallback() {
    if (this.choice) return;
    const key = planKey(this.dataset.assessmentId);
    this.choice = this.querySelector(".habit-focus-choice");
    this.choice.addEventListener("change", () => this.choose());
    // A result completed in another tab shows here at once.
    addEventListener("storage", (e) => (e.key === key || e.key === null) && this.show(this.load()));
    this.show(this.load());
  }

  load() {
    return loadPlan(this.dataset.assessmentId);
  }

  part(name) {
    return this.querySelector(`.habit-focus-${name}`);
  }

  show(plan, options = true) {
    this.plan = plan;
    this.hidden = !plan;
    if (!plan) return;
    const focus = focusOf(plan);
    const low = weakest(plan);
    setText(this.part("name"), focus.name);
    this.part("score").textContent =
      focus === low
        ? `Your lowest score: ${focus.score} out of 100 (${focus.band}). An hour here does the most good.`
        : `Your choice: ${focus.score} out of 100 (${focus.band}). Your lowest score is ${low.name}, ${low.score}.`;
    this.part("step").hidden = !focus.step;
    this.part("text").textContent = focus.step;
    this.part("go").hidden = !focus.href;
    this.part("link").href = focus.href || plan.page;
    this.part("again").href = plan.page;
    this.part("date").textContent = formatDay(plan.date);
    this.part("choose").hidden = plan.habits.length < 2;
    if (options)
      this.choice.replaceChildren(
        ...plan.habits.map((h) =>
          make("option", `${h.name}: ${h.score}${h === low ? " (lowest)" : ""}`, { value: h.id, selected: h === focus }),
        ),
      );
  }

  // The weakest habit is the default: choosing it again means "follow my
  // lowest score", also after the next result.
  choose() {
    const picked = this.choice.value;
    const plan = { ...this.plan, focus: picked === weakest(this.plan).id ? null : picked };
    const status = chooseFocus(plan);
    this.show(plan, false);
    const name = focusOf(plan).name;
    setText(
      this.part("status"),
      status === OFF
        ? `Focus: ${name}. Saving is off in this browser, so this choice lasts until you leave the page.`
        : `This week’s focus is now ${name}.`,
    );
  }
}

if (!customElements.get("habit-focus")) customElements.define("habit-focus", HabitFocus);
