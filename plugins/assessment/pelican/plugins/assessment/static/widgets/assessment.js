// <habit-assessment>: progress, live scores, a chart of the habits, the
// reader's strength and one step for the week, for the self-assessment the
// assessment plugin renders (plugins/assessment/README.md, "In the browser").
// The markup holds everything static (labels, the chart's bands, dialogs);
// this script fills and reveals it. Scores use the plugin's integer-only
// formula, so they match scoring.py.
// Answers: localStorage assessment:<id>:<hash>; results, one a day:
// assessment-history:<id>:<hash> (the hash is data-definition-hash, so an
// edited check starts clean). #answers=<id>.<hash>.<one base-36 digit per
// statement, 0 = unanswered> shows a shared result without saving it.
// Storage failures only turn saving off. Nothing is sent anywhere.
import {
  advise,
  dayKey,
  formatDay,
  isDayKey,
  load,
  loadHistory,
  make,
  OFF,
  remove,
  set,
  setText,
  storageKey,
  withEntry,
} from "./widget-core.js";

const svg = (tag, attrs, text = "") => {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  e.textContent = text;
  return e;
};
const signed = (n) => (n > 0 ? `+${n}` : n < 0 ? `\u2212${-n}` : "no change");
const words = (e) => e.textContent.replace(/\s+/g, " ").trim();
const score100 = (n) => Number.isInteger(n) && n >= 0 && n <= 100;
const pct = (n) => `${n}%`;

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
// A habit's score with its band, once finished; `top`: in its top band.
const rated = (d, score, done = true) => {
  const b = done ? band(d.bands, score) : null;
  return { d, score, band: b, top: !!b && b === d.bands.at(-1) };
};
const tips = (b) => [...document.getElementById(b.element).querySelectorAll(".assessment-tips li")];

class HabitAssessment extends HTMLElement {
  connectedCallback() {
    if (this.data) return;
    const $ = (this.$ = (s) => this.querySelector(s));
    const data = (this.data = JSON.parse($(".assessment-data").textContent));
    this.k = data.scale.length;
    this.items = data.dimensions.flatMap((d) => d.statements);
    const { assessmentId: id, definitionHash: hash, dateSample } = this.dataset;
    this.day = (key) => formatDay(key, dateSample);
    // Chart ticks: the site's format without the year, months short.
    this.tick = (key) => formatDay(key, dateSample?.replace(/\W*2001\W*/, " ").trim(), "short");
    this.aid = id;
    this.hash = hash;
    this.key = storageKey("assessment", id, hash);
    this.pastKey = storageKey("assessment-history", id, hash);
    this.form = $(".assessment-form");
    this.live = $(".assessment-result");
    this.form.addEventListener("change", () => this.changed());
    const on = (s, f) => $(s).addEventListener("click", f);
    on(".assessment-print", () => print());
    on(".assessment-copy", () => this.copy(this.text(), "Results copied."));
    on(".assessment-share", () => this.copy(this.link(), "Link copied. Anyone who opens it sees these answers."));
    on(".assessment-keep", () => this.leave(true));
    on(".assessment-back", () => this.leave(false));
    // Clearing answers and deleting history both ask first, in a dialog.
    for (const dialog of this.querySelectorAll("dialog")) {
      const { action } = dialog.dataset;
      on(`.assessment-${action === "clear" ? "reset" : action}`, () => dialog.showModal());
      dialog.addEventListener("close", () => dialog.returnValue === action && this[action]());
    }
    addEventListener("hashchange", () => location.hash.startsWith("#answers=") && this.start(true));
    addEventListener("storage", (e) => e.key?.endsWith(`:${id}:${hash}`) && !this.shared && this.start());
    $(".assessment-results").hidden = false;
    // The paper key stays one click away; the scores are on screen now.
    $(".assessment-key-fold").open = false;
    this.start(true);
    // A kept result gives the weekly plan without a new answer: results from
    // before plans existed, and plans damaged or older than the last result.
    const last = this.past().at(-1);
    if (last)
      import("./assessment-plan.js").then(
        (plan) => plan.renewPlan(this.data, this.data.dimensions.map((d) => rated(d, last.dims[d.id])), last.date),
        () => {},
      );
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

  // Screen readers hear the points that matter, not every click: a habit
  // finished, and the overall result once all are answered.
  changed() {
    const before = this.result;
    if (!this.shared) this.save();
    this.show();
    const r = this.result;
    const done = r.dims.find((x, i) => x.done && !before.dims[i].done);
    if (r.complete && !before.complete) setText(this.live, `All ${r.n} answered. ${this.overall}`);
    else if (done) setText(this.live, `${done.d.name} done. ${r.count} of ${r.n} answered.`);
  }

  clear() {
    this.fill({});
    this.changed();
    setText(this.live, "Answers cleared.");
  }

  delete() {
    this.status = remove(this.pastKey);
    import("./assessment-plan.js").then((plan) => plan.forgetPlan(this.aid), () => {});
    this.deleted = true;
    this.show();
    this.$(".assessment-history h3").focus();
  }

  save() {
    const answers = this.read();
    const r = this.score(answers);
    this.status = set(this.key, { answers });
    if (r.complete && this.status !== OFF) {
      const dims = {};
      r.dims.forEach((x) => (dims[x.d.id] = x.score));
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
    const { k, data, items } = this;
    const dims = data.dimensions.map((d) => {
      const count = d.statements.filter((x) => answers[x.id]).length;
      const done = count === d.statements.length;
      return { ...rated(d, percent(d.statements, answers, k), done), count, done };
    });
    const count = items.filter((x) => answers[x.id]).length;
    const complete = count === items.length;
    const s = percent(items, answers, k);
    return { dims, s, count, n: items.length, complete, band: complete ? band(data.bands, s) : null };
  }

  show() {
    const { $, shared } = this;
    const r = (this.result = this.score(this.read()));
    const { n, dims } = r;
    const ds = this.dataset;
    ds.answered = r.count;
    if (r.s == null) delete ds.overallScore;
    else ds.overallScore = r.s;
    ds.overallBand = r.band?.id || "";
    this.overall = r.band ? `Overall: ${r.s} out of 100, ${r.band.name}.` : "";
    $(".assessment-progress-text").textContent = [
      `${r.count} of ${n}`,
      ...dims.filter((x) => x.count).map((x) => `${x.d.name} ${x.done ? "\u2713" : `${x.count}/${x.d.statements.length}`}`),
    ].join(" \u00b7 ");
    $(".assessment-shared").hidden = !shared;
    $(".assessment-results h2").textContent = shared ? "Shared results" : "Your results";
    $(".assessment-shared-old").hidden = !this.old;
    $(".assessment-shared-damaged").hidden = !this.damaged;
    $(".assessment-summary").textContent = r.complete
      ? this.overall
      : r.count
        ? `So far: ${r.s} out of 100, from ${r.count} of ${n} answers. Answer them all to see your overall band.`
        : "Answer the statements above: your scores appear here as you go.";
    const verdict = r.band && document.getElementById(r.band.element).querySelector(".assessment-verdict");
    $(".assessment-overall").replaceChildren(...(verdict ? [verdict.cloneNode(true)] : []));
    // The chart, the key's "Your band" marks and the progress bar.
    const mark = (bands, mine) => {
      for (const b of bands) document.getElementById(b.element).querySelector(".assessment-your-band").hidden = b !== mine;
    };
    mark(this.data.bands, r.band);
    for (const x of dims) {
      const { d, score: s, count } = x;
      const bar = $(`li[data-dimension-id="${d.id}"]`);
      bar.dataset.score = s ?? "";
      bar.dataset.band = x.band?.id || "";
      bar.querySelector(".assessment-bar-value").textContent =
        s == null
          ? "not answered yet"
          : x.done
            ? `${s}${x.band ? `, ${x.band.name}` : ""}`
            : `${s} so far, ${count} of ${d.statements.length} answered`;
      bar.querySelector(".assessment-fill").setAttribute("width", pct(s ?? 0));
      for (const seg of bar.querySelectorAll("[data-band-id]"))
        seg.classList.toggle("assessment-mine", seg.dataset.bandId === x.band?.id);
      $(`.assessment-progress [data-dimension-id="${d.id}"]`).setAttribute("width", pct((100 * count) / n));
      mark(d.bands, x.band);
    }
    // Your strength and your step: the core's rule (advise), which the
    // weekly page's focus follows too.
    const { strength, steps } = advise(dims.filter((x) => x.band), r.complete);
    $(".assessment-strength").hidden = !strength;
    if (strength) $(".assessment-strength strong").textContent = `${strength.d.name}, ${strength.score}`;
    const step = steps[0];
    const first = step && tips(step.band)[0];
    $(".assessment-step").hidden = !first;
    const more = [];
    const add = (title, b, from = 0) => {
      const li = tips(b).slice(from);
      if (!li.length) return;
      const ul = make("ul");
      ul.append(...li.map((e) => e.cloneNode(true)));
      more.push(make("h4", title), ul);
    };
    if (first) {
      $(".assessment-step-habit").textContent = `${step.d.name}: ${step.score}, ${step.band.name}`;
      const p = make("p");
      p.append(...first.cloneNode(true).childNodes);
      const tip = [p];
      // The tip's first link becomes the one clear way to act on it.
      const a = p.querySelector("a");
      if (a) {
        const go = make("p");
        go.append(make("a", `Read \u201c${words(a)}\u201d`, { href: a.href, className: "assessment-button" }));
        a.replaceWith(...a.childNodes);
        tip.push(go);
      }
      $(".assessment-step-tip").replaceChildren(...tip);
      add(`More for ${step.d.name}`, step.band, 1);
    }
    for (const x of steps.slice(1, 3)) add(`${x.d.name}: ${x.score}, ${x.band.name}`, x.band);
    if (r.band) add("Overall", r.band);
    $(".assessment-more").hidden = !more.length;
    $(".assessment-more-items").replaceChildren(...more);
    $(".assessment-storage-note").hidden = this.status !== OFF;
    this.showPast();
  }

  showPast() {
    const { $, data, day } = this;
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
    const series = [["Overall", (e) => e.overall], ...data.dimensions.map((d) => [d.name, (e) => e.dims[d.id]])];
    const changes = [];
    if (last)
      for (const [name, get] of series)
        if (score100(get(last)) && score100(get(prev))) changes.push(make("li", `${name}: ${signed(get(last) - get(prev))}`));
    $(".assessment-changes").replaceChildren(...changes);
    if (!last) return;
    const shown = past.slice(-12);
    $(".assessment-past tbody").replaceChildren(
      ...shown.map((e) => {
        const tr = make("tr");
        tr.append(make("th", day(e.date), { scope: "row" }), ...series.map(([, get]) => make("td", score100(get(e)) ? get(e) : "\u2013")));
        return tr;
      }),
    );
    // One small chart per habit and overall, the same scales; dates are
    // placed by time, so a gap of months looks like one. The table beside
    // them says the same in words.
    const t = (e) => Date.parse(e.date);
    const t0 = t(shown[0]);
    const span = t(shown.at(-1)) - t0;
    const [W, H, L, R, T, B] = [160, 100, 24, 12, 12, 22];
    const x = (e) => L + ((t(e) - t0) * (W - L - R)) / span;
    const y = (v) => T + ((100 - v) * (H - T - B)) / 100;
    const charts = series.map(([name, get]) => {
      const fig = make("figure");
      const chart = svg("svg", { viewBox: `0 0 ${W} ${H}` });
      for (const v of [0, 50, 100])
        chart.append(
          svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "grid" }),
          svg("text", { x: L - 5, y: y(v) + 4, "text-anchor": "end" }, v),
        );
      const points = shown.filter((e) => score100(get(e)));
      chart.append(svg("polyline", { points: points.map((e) => `${x(e)},${y(get(e))}`).join(" ") }));
      for (const e of points) chart.append(svg("circle", { cx: x(e), cy: y(get(e)), r: 3.5 }));
      const end = points.at(-1);
      if (end) chart.append(svg("text", { x: x(end), y: y(get(end)) - 7, "text-anchor": "end", class: "value" }, get(end)));
      for (const [e, anchor] of [
        [shown[0], "start"],
        [shown.at(-1), "end"],
      ])
        chart.append(svg("text", { x: x(e), y: H - 4, "text-anchor": anchor }, this.tick(e.date)));
      fig.append(make("figcaption", name), chart);
      return fig;
    });
    $(".assessment-chart").replaceChildren(...charts);
  }

  text() {
    const lines = (sel) =>
      [...this.querySelectorAll(sel)].map(
        (e) =>
          (e.tagName === "LI" ? "- " : e.tagName === "H4" ? "\n" : "") +
          words(e) +
          [...e.querySelectorAll("a")].map((a) => ` (${a.href})`).join(""),
      );
    return [
      `${this.data.title}, ${this.day(dayKey())}`,
      ...lines(".assessment-summary, .assessment-overall p"),
      "",
      ...[...this.querySelectorAll(".assessment-scores li")].map((li) => words(li.firstChild) + ": " + words(li.children[1])),
      ...lines(".assessment-strength:not([hidden])"),
      ...lines(".assessment-step:not([hidden]) :is(h3, p), .assessment-more:not([hidden]) :is(h4, li)"),
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
