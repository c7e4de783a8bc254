// <habit-assessment>: live scores, bands and tips for the self-assessment the
// assessment plugin renders (plugins/assessment/README.md, "In the browser").
// Scores use the plugin's integer-only formula, so they match scoring.py.
// Answers: localStorage assessment:<id>:<hash>; results, one a day:
// assessment-history:<id>:<hash> (the hash is data-definition-hash, so an
// edited check starts clean). #answers=<id>.<hash>.<one base-36 digit per
// statement, 0 = unanswered> shows a shared result without saving it.
// Storage failures only turn saving off. Nothing is sent anywhere.
import { load, OFF, remove, set } from "./safe-storage.js";
import {
  dayKey,
  formatDay as day,
  isDayKey,
  loadHistory,
  make,
  setText,
  storageKey,
  withEntry,
} from "./widget-common.js";

const svg = (tag, attrs, text = "") => {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  e.textContent = text;
  return e;
};
const signed = (n) => (n > 0 ? `+${n}` : n < 0 ? `\u2212${-n}` : "no change");
const words = (e) => e.textContent.replace(/\s+/g, " ").trim();
const score100 = (n) => Number.isInteger(n) && n >= 0 && n <= 100;

// Score (0-100) of the answered statements: W = 100 x weight, n = 100 x
// sum W(v-1), d = (k-1) x sum W, floor((2n + d) / 2d), all whole numbers.
const percent = (items, answers, k) => {
  let n = 0;
  let d = 0;
  for (const s of items) {
    const a = answers[s.id];
    if (!a) continue;
    const w = Math.round(100 * s.weight);
    n += w * ((s.reverse ? k + 1 - a : a) - 1);
    d += w;
  }
  return d ? Math.floor((200 * n + (k - 1) * d) / (2 * (k - 1) * d)) : null;
};
const band = (bands, s) => bands.find((b) => b.min <= s && s <= b.max);

class HabitAssessment extends HTMLElement {
  connectedCallback() {
    if (this.data) return;
    const $ = (this.$ = (s) => this.querySelector(s));
    const data = (this.data = JSON.parse($(".assessment-data").textContent));
    this.k = data.scale.length;
    this.items = data.dimensions.flatMap((d) => d.statements);
    const { assessmentId: id, definitionHash: hash } = this.dataset;
    this.aid = id;
    this.hash = hash;
    this.key = storageKey("assessment", id, hash);
    this.pastKey = storageKey("assessment-history", id, hash);
    this.form = $(".assessment-form");
    this.form.addEventListener("change", () => this.changed());
    const on = (s, f) => $(s).addEventListener("click", f);
    on(".assessment-copy", () => this.copy(this.text(), "Results copied."));
    on(".assessment-share", () => this.copy(this.link(), "Link copied. Anyone who opens it sees these answers."));
    on(".assessment-reset", () => this.fill({}) || this.changed());
    on(".assessment-keep", () => this.leave(true));
    on(".assessment-back", () => this.leave(false));
    const dialog = $("dialog");
    on(".assessment-delete", () => dialog.showModal());
    dialog.addEventListener("close", () => {
      if (dialog.returnValue !== "delete") return;
      this.status = remove(this.pastKey);
      import("./assessment-plan.js").then((plan) => plan.forgetPlan(id), () => {});
      this.deleted = true;
      this.show();
      $(".assessment-history h3").focus();
    });
    addEventListener("hashchange", () => location.hash.startsWith("#answers=") && this.start(true));
    addEventListener("storage", (e) => e.key?.endsWith(`:${id}:${hash}`) && !this.shared && this.start());
    $(".assessment-results").hidden = false;
    this.start(true);
  }

  // A share link for this check (#answers=...) shows its answers, unsaved.
  start(opened) {
    const m = /^#answers=([^.]*)\.([^.]*)\.([0-9a-z]*)$/.exec(location.hash);
    const mine = m?.[1] === this.aid;
    const fits = mine && m[2] === this.hash && m[3].length === this.items.length;
    // each digit is 0 (unanswered) or a point of the scale, 1..k
    const damaged = fits && [...m[3]].some((c) => parseInt(c, 36) > this.k);
    this.shared = fits && !damaged;
    this.damaged = damaged;
    this.old = mine && !fits;
    let answers = {};
    if (this.shared) this.items.forEach((s, i) => (answers[s.id] = parseInt(m[3][i], 36)));
    else [answers, this.status] = this.saved();
    // With saving off, what is on the page is all there is: keep it.
    if (this.shared || this.status !== OFF) this.fill(answers);
    this.show();
    if (mine && opened) this.$(".assessment-results").scrollIntoView({ behavior: "instant" });
  }

  saved() {
    const [v, status] = load(this.key);
    return [v?.answers || {}, status];
  }

  // Only whole numbers 1..k for known statements count, wherever they come from.
  fill(answers) {
    for (const s of this.items)
      for (const r of this.form.elements.namedItem(s.id)) r.checked = +r.value === answers[s.id];
  }

  read() {
    const a = {};
    for (const s of this.items) a[s.id] = +this.form.elements.namedItem(s.id).value || 0;
    return a;
  }

  changed() {
    if (!this.shared) this.save();
    this.show();
  }

  save() {
    const answers = this.read();
    const r = this.score(answers);
    this.status = set(this.key, { answers });
    if (r.complete && this.status !== OFF) {
      const dims = {};
      r.dims.forEach((x) => (dims[x.d.id] = x.s));
      const entry = { date: dayKey(), overall: r.s, dims };
      this.status = set(this.pastKey, withEntry(this.past(), "date", entry, 60));
      this.deleted = false;
      import("./assessment-plan.js").then((plan) => plan.savePlan(this.data, r), () => {});
    }
  }

  leave(keep) {
    history.replaceState(null, "", location.pathname + location.search);
    this.shared = false;
    if (keep) this.save();
    this.start();
    this.$(".assessment-results h2").focus();
  }

  past() {
    return loadHistory(this.pastKey, (e) => isDayKey(e.date) && score100(e.overall) && e.dims).sort((a, b) =>
      a.date < b.date ? -1 : 1,
    );
  }

  score(answers) {
    const { k, data } = this;
    const dims = data.dimensions.map((d) => {
      const s = percent(d.statements, answers, k);
      const count = d.statements.filter((x) => answers[x.id]).length;
      return { d, s, count, band: count === d.statements.length ? band(d.bands, s) : null };
    });
    const count = this.items.filter((x) => answers[x.id]).length;
    const complete = count === this.items.length;
    const s = percent(this.items, answers, k);
    return { dims, s, count, complete, band: complete ? band(data.bands, s) : null };
  }

  // The band's verdict and tips, copied from the scoring key (links resolved).
  advice(b, heading) {
    const div = make("div", "", { className: "assessment-advice" });
    if (heading) div.append(make("h4", heading));
    for (const e of document.getElementById(b.element).querySelectorAll(".assessment-verdict, .assessment-tips"))
      div.append(e.cloneNode(true));
    return div;
  }

  show() {
    const { $, items, shared } = this;
    const r = (this.result = this.score(this.read()));
    const n = items.length;
    const ds = this.dataset;
    ds.answered = r.count;
    if (r.s == null) delete ds.overallScore;
    else ds.overallScore = r.s;
    ds.overallBand = r.band?.id || "";
    const overall = r.band ? `Overall: ${r.s} out of 100, ${r.band.name}.` : "";
    const live = r.complete ? `All ${n} answered. ${overall}` : `${r.count} of ${n} answered.`;
    setText($(".assessment-result"), live);
    $(".assessment-shared").hidden = !shared;
    $(".assessment-results h2").textContent = shared ? "Shared results" : "Your results";
    $(".assessment-shared-old").hidden = !this.old;
    $(".assessment-shared-damaged").hidden = !this.damaged;
    $(".assessment-summary").textContent = r.complete
      ? overall
      : r.count
        ? `So far: ${r.s} out of 100, from ${r.count} of ${n} answers. Answer them all to see your overall band.`
        : "Answer the statements above: your scores appear here as you go.";
    $(".assessment-overall").replaceChildren(...(r.band ? [this.advice(r.band)] : []));
    for (const x of r.dims) {
      const row = $(`tr[data-dimension-id="${x.d.id}"]`);
      const [cell, name] = row.querySelectorAll("td");
      row.dataset.score = x.s ?? "";
      row.dataset.band = x.band?.id || "";
      cell.textContent = x.s ?? "\u2013";
      name.textContent =
        x.band?.name || (x.count < x.d.statements.length ? `${x.count} of ${x.d.statements.length} answered` : "");
    }
    const low = r.dims.filter((x) => x.band).sort((a, b) => a.s - b.s);
    $(".assessment-focus").hidden = !low.length;
    $(".assessment-focus-items").replaceChildren(
      ...low.slice(0, 2).map((x) => this.advice(x.band, `${x.d.name}: ${x.band.name} (${x.s})`)),
    );
    $(".assessment-storage-note").hidden = this.status !== OFF;
    this.showPast();
  }

  showPast() {
    const { $, data } = this;
    const past = this.past();
    const [prev, last] = past.slice(-2);
    const box = $(".assessment-history");
    box.hidden = this.shared || this.status === OFF || !(past.length || this.deleted);
    $(".assessment-delete").parentNode.hidden = !past.length;
    $(".assessment-trend").hidden = !last;
    $(".assessment-change").textContent = !past.length
      ? "Your history is deleted. Results you complete from now on will be kept here."
      : last
        ? `Since ${day(prev.date)}:`
        : `Your result of ${day(prev.date)} is kept. Take the check again in a month or two to see what changed.`;
    const changes = [];
    if (last) {
      changes.push(["Overall", last.overall - prev.overall]);
      for (const d of data.dimensions)
        if (score100(last.dims[d.id]) && score100(prev.dims[d.id]))
          changes.push([d.name, last.dims[d.id] - prev.dims[d.id]]);
    }
    $(".assessment-changes").replaceChildren(...changes.map(([name, diff]) => make("li", `${name}: ${signed(diff)}`)));
    if (!last) return;
    const shown = past.slice(-12);
    $(".assessment-past tbody").replaceChildren(
      ...shown.map((e) => {
        const tr = make("tr");
        tr.append(make("th", day(e.date), { scope: "row" }), make("td", e.overall), make("td", band(data.bands, e.overall)?.name));
        return tr;
      }),
    );
    // Overall score by date, oldest first; the table beside it says the same in words.
    const [W, H, L, R, T, B] = [320, 150, 30, 16, 18, 26];
    const x = (i) => L + 14 + (i * (W - L - R - 28)) / (shown.length - 1);
    const y = (v) => T + ((100 - v) * (H - T - B)) / 100;
    const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, "aria-hidden": "true" });
    for (const v of [0, 50, 100])
      chart.append(
        svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }),
        svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, v),
      );
    chart.append(svg("polyline", { points: shown.map((e, i) => `${x(i)},${y(e.overall)}`).join(" ") }));
    shown.forEach((e, i) => {
      chart.append(
        svg("circle", { cx: x(i), cy: y(e.overall), r: 4 }),
        svg("text", { x: x(i), y: y(e.overall) - 8, "text-anchor": "middle", class: "value" }, e.overall),
      );
      if (i === 0 || i === shown.length - 1)
        chart.append(
          svg(
            "text",
            { x: x(i), y: H - 6, "text-anchor": i ? "end" : "start" },
            day(e.date, { day: "numeric", month: "short" }),
          ),
        );
    });
    $(".assessment-chart").replaceChildren(chart);
  }

  text() {
    const { $ } = this;
    const lines = (sel) =>
      [...this.querySelectorAll(sel)].map(
        (e) =>
          (e.tagName === "LI" ? "- " : e.tagName === "H4" ? "\n" : "") +
          words(e) +
          [...e.querySelectorAll("a")].map((a) => ` (${a.href})`).join(""),
      );
    return [
      `${this.data.title}, ${day(dayKey())}`,
      words($(".assessment-summary")),
      ...lines(".assessment-overall :is(p, li)"),
      "",
      ...this.result.dims.map(
        ({ d, s, count, band }) =>
          `${d.name}: ${s ?? "not answered"}${band ? `, ${band.name}` : s != null && count < d.statements.length ? ` (${count} of ${d.statements.length} answered)` : ""}`,
      ),
      ...(this.result.dims.some((x) => x.band) ? ["", words($(".assessment-focus h3"))] : []),
      ...lines(".assessment-focus-items :is(h4, p, li)"),
      "",
      location.href.split("#")[0],
    ].join("\n");
  }

  link() {
    const a = this.read();
    const digits = this.items.map((s) => a[s.id].toString(36)).join("");
    return `${location.href.split("#")[0]}#answers=${this.aid}.${this.hash}.${digits}`;
  }

  async copy(text, done) {
    const { $ } = this;
    const box = $(".assessment-copy-box");
    const area = box.querySelector("textarea");
    const status = $(".assessment-copy-status");
    status.textContent = "";
    let message = done;
    try {
      await navigator.clipboard.writeText(text);
      box.hidden = true;
    } catch {
      area.value = text;
      box.hidden = false;
      area.focus();
      area.select();
      message = "Copying is blocked in this browser: the text is selected below, copy it with Ctrl+C or Command+C.";
    }
    setTimeout(() => (status.textContent = message), 100);
  }
}

if (!customElements.get("habit-assessment")) customElements.define("habit-assessment", HabitAssessment);
