"""Write a synthetic Pelican content folder of N articles for the benchmark.

    python -m bench.generate --articles 1000 --out /tmp/bench-content

Deterministic (a fixed seed): the same N always gives the same files, so two
runs of `make bench` time the same work. Each article is about 900 words of
realistic Markdown: `##`/`###` headings, paragraphs with emphasis, quotes and
dashes (typogrify has work to do), bulleted and numbered lists, links to other
articles (`{filename}`) and to other hosts, inline code and one fenced code
block. Articles fall into 10 categories and carry 3–5 of 50 tags. Every 25th
article has a checklist and every 100th a self-assessment (both with ids that
are unique on the site), so the plugins run as they do on the real site.
Plain Pelican, which lacks the plugins, renders those blocks as text.
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path

CATEGORIES = [
    "Habits",
    "Stories",
    "Resumes",
    "LinkedIn",
    "Meetings",
    "Interviews",
    "Mentoring",
    "Career change",
    "Leadership",
    "Job search",
]
TAGS = [
    f"topic {word}"
    for word in [
        "alpha",
        "bravo",
        "charlie",
        "delta",
        "echo",
        "foxtrot",
        "golf",
        "hotel",
        "india",
        "juliet",
        "kilo",
        "lima",
        "mike",
        "november",
        "oscar",
        "papa",
        "quebec",
        "romeo",
        "sierra",
        "tango",
        "uniform",
        "victor",
        "whiskey",
        "xray",
        "yankee",
        "zulu",
        "amber",
        "basil",
        "cedar",
        "dune",
        "ember",
        "fern",
        "grove",
        "heath",
        "iris",
        "jade",
        "kelp",
        "lotus",
        "maple",
        "nectar",
        "olive",
        "pine",
        "quartz",
        "reed",
        "sage",
        "thyme",
        "umber",
        "vine",
        "willow",
        "yarrow",
    ]
]
assert len(TAGS) == 50

WORDS = [
    "network",
    "contact",
    "coffee",
    "meeting",
    "resume",
    "profile",
    "habit",
    "week",
    "career",
    "manager",
    "colleague",
    "introduction",
    "conversation",
    "result",
    "project",
    "team",
    "skill",
    "goal",
    "plan",
    "calendar",
    "message",
    "reply",
    "follow",
    "up",
    "industry",
    "association",
    "event",
    "speaker",
    "question",
    "answer",
    "story",
    "proof",
    "target",
    "role",
    "company",
    "market",
    "recruiter",
    "hiring",
    "reference",
    "mentor",
    "advice",
    "opportunity",
    "layoff",
    "promotion",
    "move",
    "change",
    "learning",
    "course",
    "book",
    "note",
    "list",
    "reminder",
    "hour",
    "month",
    "quarter",
    "year",
    "friend",
    "partner",
]
OPENERS = [
    "Most people",
    "In our experience, the people who",
    "A colleague once told us that",
    "It is easy to forget that",
    "When you are busy,",
    "The simplest way to start is to notice that",
    "Nobody expects you to be perfect, but",
    "Think about the last time",
]
CODE = """```python
def weekly_hour(contacts, week):
    \"\"\"Pick three people to write to this week.\"\"\"
    due = [c for c in contacts if c.last_contact < week - 6]
    return sorted(due, key=lambda c: c.last_contact)[:3]
```"""


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    if rng.random() < 0.25:
        i = rng.randrange(len(words))
        words[i] = f"*{words[i]}*"
    if rng.random() < 0.2:
        i = rng.randrange(len(words) - 2)
        words[i : i + 3] = ['"' + " ".join(words[i : i + 3]) + '"']
    if rng.random() < 0.15:
        words.insert(rng.randrange(1, len(words)), "--")
    if rng.random() < 0.1:
        words.append("... and so on")
    if rng.random() < 0.1:
        words.append("(it's not as hard as it sounds)")
    text = " ".join(words)
    return f"{rng.choice(OPENERS)} {text}."


def _paragraph(rng: random.Random, n: int | None = None) -> str:
    sentences = [_sentence(rng) for _ in range(n or rng.randint(2, 4))]
    # wrap at about 76 characters, as authors' editors do
    lines, line = [], ""
    for word in " ".join(sentences).split(" "):
        if line and len(line) + 1 + len(word) > 76:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


def _title(rng: random.Random, index: int) -> str:
    a, b = rng.sample(WORDS, 2)
    return f"{a.capitalize()} and {b}: note {index}"


def _checklist(index: int) -> str:
    return "\n".join(
        [
            f"::: checklist bench-checklist-{index}",
            "title: Try it this week",
            "- [ ] Write to one contact you have not spoken to in a month",
            "- [ ] Add this week's result to your *work log*",
            "- [ ] Read [the first article]({filename}article-0000.md)",
            "- [ ] Put next week's hour in your calendar",
            ":::",
        ]
    )


def _assessment(index: int) -> str:
    return f"""::: assessment bench-assessment-{index}
title: A quick habit check
scale: Never | Sometimes | Often | Always

Choose how often each statement is true for you. This is a habit check, not a
validated test: see [the first article]({{filename}}article-0000.md).

## Keeping in touch

Do people hear from you between favours?

- I answer when a contact calls me.
- I let messages from contacts sit for weeks. (reverse)
- I meet a contact for coffee each month. (weight 1.5)

### 0-49 Drifting
Your contacts are slipping away.

- Reply to one old message today.

### 50-100 In touch
People hear from you and you hear from them.

## Showing up (id showing-up)

- I go to meetings in my field. (weight 2)
- I talk to someone new at events. (id new-people)

## Overall

### 0-59 Quiet
Few people know what you do.

### 60-100 Known
Your field knows you.
:::"""


def article(rng: random.Random, index: int, total: int, when: datetime) -> str:
    tags = rng.sample(TAGS, rng.randint(3, 5))
    other = rng.randrange(total)
    parts = [
        f"Title: {_title(rng, index)}",
        f"Date: {when:%Y-%m-%d %H:%M}",
        f"Category: {CATEGORIES[index % len(CATEGORIES)]}",
        f"Tags: {', '.join(tags)}",
        f"Slug: article-{index:04d}",
    ]
    if index % 2 == 0:
        parts.append(f"Summary: {_sentence(rng)} {_sentence(rng)}")
    header = "\n".join(parts)
    parts = [header, _paragraph(rng, 4)]
    parts.append(_paragraph(rng))
    for section in range(5):
        parts.append(f"## {rng.choice(WORDS).capitalize()} {section + 1}: {rng.choice(WORDS)}")
        parts.append(_paragraph(rng))
        if section == 0:
            parts.append(
                "\n".join(
                    f"- **{rng.choice(WORDS).capitalize()}**: {_sentence(rng)}" for _ in range(4)
                )
            )
        elif section == 1:
            parts.append(
                f"See [an older note]({{filename}}article-{other:04d}.md) and "
                f"[a guide on another site](https://example.org/guide/{index}), "
                f"or run `weekly_hour()` below."
            )
            parts.append(CODE)
        elif section == 2:
            parts.append("\n".join(f"{n}. {_sentence(rng)}" for n in range(1, 5)))
            parts.append(f"### {rng.choice(WORDS).capitalize()} in practice")
            parts.append(_paragraph(rng))
        elif section == 3:
            parts.append("> " + _sentence(rng) + "\n> " + _sentence(rng))
        parts.append(_paragraph(rng))
    if index % 25 == 7:
        parts.append("## Your checklist")
        parts.append(_checklist(index))
    if index % 100 == 42:
        parts.append("## Check yourself")
        parts.append(_assessment(index))
    return "\n\n".join(parts) + "\n"


def generate(out: Path, articles: int = 1000, seed: int = 2026) -> Path:
    """Write `articles` articles and two pages into `out` (created or
    emptied first) and return it."""
    rng = random.Random(seed)
    out = Path(out)
    (out / "articles").mkdir(parents=True, exist_ok=True)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    for old in (*out.glob("articles/*.md"), *out.glob("pages/*.md")):
        old.unlink()
    start = datetime(2020, 1, 6, 9, 0)
    for index in range(articles):
        when = start + timedelta(hours=37 * index)
        text = article(rng, index, articles, when)
        (out / "articles" / f"article-{index:04d}.md").write_text(text, encoding="utf-8")
    (out / "pages" / "about.md").write_text(
        "Title: About\nSlug: about\n\n" + _paragraph(rng, 6) + "\n", encoding="utf-8"
    )
    (out / "pages" / "start-here.md").write_text(
        "Title: Start here\nSlug: start-here\n\n" + _paragraph(rng, 6) + "\n", encoding="utf-8"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    generate(args.out, args.articles, args.seed)
    print(f"generated {args.articles} articles in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
