// <habit-focus>: "This week's focus", filled from the plan a complete
// assessment left in this browser (assessment-plan.js). Without a valid plan,
// or with storage blocked, the element stays hidden and the page reads as it
// does without JavaScript. Stored text is set with textContent only, and
// links only ever point to paths on this site.
import { formatDay, make, OFF, setText } from "./widget-core.js";
import { chooseFocus, focusOf, loadPlan, planKey, suggest } from "./assessment-plan.js";

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
    // The result page's rule: a habit in its top band is never "weakest".
    // With every habit there, the strength is named, and the suggestion is
    // the habit with the most room to grow, as on the result's step card.
    const { step, strength } = suggest(plan);
    const score = `${focus.score} out of 100 (${focus.band})`;
    const strongest = strength === step ? "" : `; your strongest is ${strength.name}, ${strength.score}`;
    this.part("score").textContent =
      focus !== step
        ? `Your choice: ${score}. ` +
          (step.top
            ? `Every habit is in its top band; ${step.name} has the most room to grow, ${step.score}.`
            : `Your weakest habit is ${step.name}, ${step.score}.`)
        : step.top
          ? `Every habit is in its top band${strongest}. This one has the most room to grow: ${score}.`
          : `Your weakest habit: ${score}. An hour here does the most good.`;
    setText(this.part("name"), focus.name);
    this.part("step").hidden = !focus.step;
    this.part("text").textContent = focus.step;
    this.part("go").hidden = !focus.href;
    this.part("link").href = focus.href || plan.page;
    this.part("again").href = plan.page;
    // the site's DEFAULT_DATE_FORMAT, from the sample the widget core renders
    this.part("date").textContent = formatDay(plan.date, this.dataset.dateSample);
    this.part("choose").hidden = plan.habits.length < 2;
    if (options)
      this.choice.replaceChildren(
        ...plan.habits.map((h) =>
          make("option", `${h.name}: ${h.score}${h !== step ? "" : step.top ? " (most room)" : " (weakest)"}`, {
            value: h.id,
            selected: h === focus,
          }),
        ),
      );
  }

  // The suggested habit is the default: choosing it again means "follow my
  // result", also after the next one.
  choose() {
    const picked = this.choice.value;
    const plan = { ...this.plan, focus: picked === suggest(this.plan).step.id ? null : picked };
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
