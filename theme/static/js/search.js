// The search page (theme/templates/search.html): finds articles and pages in
// the index plugins/search_index writes (its index.py describes the format),
// entirely in the browser. The index is fetched from this site the first
// time the reader focuses or types in the field (or at once for a ?q= link).
// Every piece of index text goes into the page as a text node: nothing from
// the index is ever parsed as HTML.

// The same words as plugins/search_index/terms.py (tests check they agree).
export const STOPWORDS = new Set(
  ("a an and are as at be but by do does for from had has have he her his i if in into is it " +
    "its me my no not of on or our she so than that the their them then there these they this " +
    "to us was we were what when which who will with you your").split(" "),
);
const MIN_LENGTH = 2;
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
const FIELD_BITS = 4;
// body, summary, headings, title: a title match outweighs all the others
const FIELD_WEIGHTS = [1, 2, 4, 8];
const TITLE_BIT = 8;
// a word that only starts with what was typed counts a little less, and a
// word one typo away (tried only when nothing starts with the query word)
// less again
const PREFIX_FACTOR = 0.75;
const TYPO_FACTOR = 0.5;
const TYPO_MIN_LENGTH = 4;
// results shown at first, and added by each press of "Show more"
const PAGE_SIZE = 20;
// the live region speaks once typing pauses, not at every key
const ANNOUNCE_DELAY = 500;

const fold = (text) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

export function words(text) {
  return (fold(text).match(/[\p{L}\p{N}]+/gu) || []).filter(
    (word) => word.length >= MIN_LENGTH && !STOPWORDS.has(word),
  );
}

function decode(text) {
  // [document, fields, document, fields, ...] of one word's posting list
  const out = [];
  let value = 0;
  let doc = -1;
  for (const char of text) {
    const digit = ALPHABET.indexOf(char);
    if (digit >= 32) {
      value = value * 32 + (digit - 32);
      continue;
    }
    value = value * 32 + digit;
    doc += Math.floor(value / 2 ** FIELD_BITS);
    out.push(doc, value % 2 ** FIELD_BITS);
    value = 0;
  }
  return out;
}

// True when a and b differ by at most one letter added, dropped, changed
// or two neighbours swapped ("netwrok", "mentr", "coffe").
function oneTypoApart(a, b) {
  if (Math.abs(a.length - b.length) > 1 || a === b) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function firstAtLeast(sorted, word) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < word) low = middle + 1;
    else high = middle;
  }
  return low;
}

export class SearchIndex {
  constructor(data) {
    if (
      !data ||
      data.version !== 1 ||
      !Array.isArray(data.docs) ||
      !Array.isArray(data.words) ||
      !Array.isArray(data.postings) ||
      data.words.length !== data.postings.length
    ) {
      throw new Error("search index: unknown format");
    }
    this.docs = data.docs;
    this.words = data.words;
    this.postings = data.postings;
    this.decoded = new Map();
  }

  posting(position) {
    let list = this.decoded.get(position);
    if (!list) {
      list = decode(String(this.postings[position]));
      this.decoded.set(position, list);
    }
    return list;
  }

  // Positions in `words` of the words a query word finds, with how much a
  // match counts: the word itself and the words it starts, or else the
  // words one typo away.
  wordsFor(query) {
    const found = [];
    for (let at = firstAtLeast(this.words, query); at < this.words.length; at += 1) {
      if (!this.words[at].startsWith(query)) break;
      found.push([at, this.words[at] === query ? 1 : PREFIX_FACTOR]);
    }
    if (!found.length && query.length >= TYPO_MIN_LENGTH) {
      this.words.forEach((word, at) => {
        if (oneTypoApart(word, query)) found.push([at, TYPO_FACTOR]);
      });
    }
    return found;
  }

  // {doc: {score, title}} for one query word
  matchesOf(query, matchedWords) {
    const found = new Map();
    const total = this.docs.length;
    for (const [at, factor] of this.wordsFor(query)) {
      matchedWords.add(this.words[at]);
      const list = this.posting(at);
      const rarity = Math.log(1 + total / (list.length / 2));
      for (let i = 0; i < list.length; i += 2) {
        const fields = list[i + 1];
        let weight = 0;
        FIELD_WEIGHTS.forEach((w, bit) => {
          if (fields & (1 << bit)) weight += w;
        });
        const score = weight * rarity * factor;
        const best = found.get(list[i]);
        if (!best) {
          found.set(list[i], { score, title: (fields & TITLE_BIT) !== 0 });
        } else {
          best.score = Math.max(best.score, score);
          best.title ||= (fields & TITLE_BIT) !== 0;
        }
      }
    }
    return found;
  }

  // Documents holding every query word (or a word starting with it): those
  // with more of the words in their title first, then by score, then in
  // the site's order (newest article first, then the pages).
  // `matchedWords` (a Set) receives the index words that matched, for
  // highlighting.
  search(queryWords, matchedWords = new Set()) {
    if (!queryWords.length) return [];
    let results = null;
    for (const query of new Set(queryWords)) {
      const found = this.matchesOf(query, matchedWords);
      if (results === null) {
        results = new Map();
        for (const [doc, match] of found) {
          results.set(doc, { doc, score: match.score, titles: match.title ? 1 : 0 });
        }
      } else {
        for (const [doc, result] of results) {
          const match = found.get(doc);
          if (!match) {
            results.delete(doc);
          } else {
            result.score += match.score;
            result.titles += match.title ? 1 : 0;
          }
        }
      }
      if (!results.size) return [];
    }
    return [...results.values()].sort(
      (a, b) => b.titles - a.titles || b.score - a.score || a.doc - b.doc,
    );
  }
}

// The text with each word that starts with a query word, or that matched
// one with a typo, in <mark>; built from text nodes: the text is never
// parsed as HTML.
export function highlighted(text, queryWords, matchedWords = new Set()) {
  const fragment = document.createDocumentFragment();
  let from = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    const word = fold(match[0]);
    if (!matchedWords.has(word) && !queryWords.some((query) => word.startsWith(query))) continue;
    if (match.index > from) fragment.append(text.slice(from, match.index));
    const mark = document.createElement("mark");
    mark.textContent = match[0];
    fragment.append(mark);
    from = match.index + match[0].length;
  }
  if (from < text.length) fragment.append(text.slice(from));
  return fragment;
}

function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

function start(root) {
  const form = root.querySelector("form");
  const input = form.querySelector("input[type=search]");
  const status = root.querySelector(".search-status");
  const list = root.querySelector(".search-results");
  const more = root.querySelector(".search-more");
  const indexUrl = new URL(root.dataset.searchIndex, document.baseURI);
  let index = null;
  let loading = null;
  let announceTimer = 0;
  let current = { results: [], queryWords: [], matchedWords: new Set(), shown: 0 };

  const setStatus = (text) => {
    if (status.textContent !== text) status.textContent = text;
  };

  function load() {
    if (!loading) {
      const started = performance.now();
      root.dataset.state = "loading";
      loading = fetch(indexUrl)
        .then((response) => {
          if (!response.ok) throw new Error(`search index: HTTP ${response.status}`);
          return response.json();
        })
        .then((data) => {
          index = new SearchIndex(data);
          performance.measure("search:index-load", { start: started });
          root.dataset.state = "ready";
          if (input.value.trim()) show(input.value, { announceNow: true });
        })
        .catch((error) => {
          root.dataset.state = "failed";
          setStatus(
            "Sorry, the search index could not be loaded. Browse the topics, tags and archive below.",
          );
          console.warn(error);
        });
    }
    return loading;
  }

  function linkTo(url) {
    const target = new URL(String(url), indexUrl);
    return target.protocol === "http:" || target.protocol === "https:" ? target.href : null;
  }

  function item(doc, queryWords, matchedWords) {
    if (!Array.isArray(index.docs[doc])) return null;
    const [url, title, summary, about] = index.docs[doc].map((value) => String(value ?? ""));
    const href = linkTo(url);
    if (!href) return null;
    const entry = document.createElement("li");
    entry.className = "search-result";
    const link = document.createElement("a");
    link.className = "search-result-title";
    link.href = href;
    link.append(highlighted(title, queryWords, matchedWords));
    entry.append(link);
    if (about) {
      const line = document.createElement("p");
      line.className = "search-result-about";
      line.textContent = about;
      entry.append(line);
    }
    if (summary) {
      const text = document.createElement("p");
      text.className = "search-result-summary";
      text.append(highlighted(summary, queryWords, matchedWords));
      entry.append(text);
    }
    return entry;
  }

  // The next PAGE_SIZE results after those shown; returns the first added.
  function showMore() {
    const { results, queryWords, matchedWords } = current;
    const items = results
      .slice(current.shown, current.shown + PAGE_SIZE)
      .map(({ doc }) => item(doc, queryWords, matchedWords))
      .filter(Boolean);
    current.shown = Math.min(results.length, current.shown + PAGE_SIZE);
    list.append(...items);
    list.hidden = list.children.length === 0;
    const left = results.length - current.shown;
    more.hidden = left <= 0;
    more.textContent = `Show ${Math.min(left, PAGE_SIZE)} more (${current.shown} of ${results.length} shown)`;
    return items[0];
  }

  function render(results, queryWords, matchedWords) {
    current = { results, queryWords, matchedWords, shown: 0 };
    list.replaceChildren();
    showMore();
  }

  function message(count, query) {
    const quoted = `“${query}”`;
    if (!count) return `No results for ${quoted}. Try fewer or shorter words, or browse below.`;
    return `${plural(count, "result", "results")} for ${quoted}.`;
  }

  function keepInUrl(query) {
    const url = new URL(window.location.href);
    if (query) url.searchParams.set("q", query);
    else url.searchParams.delete("q");
    if (url.href !== window.location.href) window.history.replaceState(null, "", url);
  }

  function show(raw, { announceNow = false } = {}) {
    const query = raw.trim().replace(/\s+/g, " ");
    window.clearTimeout(announceTimer);
    if (!index) {
      if (query && root.dataset.state === "loading") setStatus("Loading the search index…");
      return;
    }
    const queryWords = words(query);
    const matchedWords = new Set();
    const results = index.search(queryWords, matchedWords);
    render(results, queryWords, matchedWords);
    root.dataset.query = query;
    root.dataset.count = String(results.length);
    let text = "";
    if (query && !queryWords.length) {
      text = "Type a longer word: words of one letter and very common ones are not searched.";
    } else if (query) {
      text = message(results.length, query);
    }
    const announce = () => {
      setStatus(text);
      keepInUrl(query);
    };
    if (announceNow) announce();
    else announceTimer = window.setTimeout(announce, ANNOUNCE_DELAY);
  }

  more.addEventListener("click", () => {
    // focus moves to the first new result, so keyboard readers go on from there
    showMore()?.querySelector("a")?.focus();
  });
  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", () => {
    load();
    show(input.value);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
    show(input.value, { announceNow: true });
  });

  setStatus("");
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    input.value = query;
    load();
  }
}

const root = document.querySelector(".search[data-search-index]");
if (root) start(root);
