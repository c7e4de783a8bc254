"""Settings for local work: `make html`, `make devserver`.

Relative URLs so the built site opens from any folder or port. Publishing
settings (absolute URLs, feeds) live in publishconf.py, which imports these.
"""

# ---------------------------------------------------------------------------
# Make it yours: every value below is a placeholder for the demo site. Change
# them before you publish (README, "Make it yours"). `make publish` lists each
# one still left; `make github` refuses to deploy until none is left, unless
# you run it with ALLOW_PLACEHOLDERS=1.
# ---------------------------------------------------------------------------
SITENAME = "Career Exercise"
SITESUBTITLE = "Networking habits that work before you need them"
SITE_DESCRIPTION = (
    "Practical career coaching: build and keep a professional network before "
    "a layoff, a move or a promotion forces the question. About an hour a week."
)
# Your name as bylines show it; the author page is author/<slug of it>/.
AUTHOR = "Career Exercise editors"
# Markdown, shown on the author page and on About. Say who you are, what you
# have done and why readers can trust your advice. Keep the marker line out
# of your own bio: `make publish` looks for it.
AUTHOR_BIO = """
*This is a placeholder bio: replace it with your own (AUTHOR_BIO in pelicanconf.py).*

Career Exercise is written for people who would rather build a network
steadily than scramble for one after a layoff. Its articles turn one idea
into small weekly habits: keep your resume ready, know what you want, show up
where people in your field meet, and answer when someone asks for help.

The author of this site has not introduced themselves yet. Until they do,
read the advice here as you would any unsigned advice: test it against your
own experience.
"""
# Optional: a square photo in content/images/ (e.g. "images/author.jpg"),
# shown at 96 × 96 pixels; leave None for no photo.
AUTHOR_PHOTO = None
# Optional: short plain-text lines (qualifications, roles), shown under the bio.
AUTHOR_CREDENTIALS = []
# Where readers' "Reply by email" messages go: an inbox you read.
REPLY_EMAIL = "letters@career-exercise.example"
# The published address of the site (no trailing slash). The SITEURL
# environment variable overrides it: `SITEURL=https://me.github.io/site make
# publish`. Local builds (`make html`) use relative URLs instead.
PUBLISH_SITEURL = "https://career-exercise.example"
# A hosted newsletter sign-up page of your choice (https://…), or None: the
# Subscribe page then explains how to get posts by email from the RSS feed.
NEWSLETTER_URL = None
# ---------------------------------------------------------------------------

SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
THEME = "theme"
TIMEZONE = "America/New_York"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"
LOCALE = ("en_US.UTF-8", "C.UTF-8", "")

# "Reply by email" (REPLY_EMAIL, above) instead of a third-party comment
# system: no tracking, no login, and the reader decides what to share.

# Clean, directory-style URLs that survive a move between hosts.
ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = "categories/index.html"
AUTHORS_URL = "authors/"
AUTHORS_SAVE_AS = "authors/index.html"
YEAR_ARCHIVE_URL = "archives/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "archives/{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "archives/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "archives/{date:%Y}/{date:%m}/index.html"

# 404 is a direct template saved as 404.html: GitHub Pages serves it for any
# missing path.
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "404"]

DEFAULT_PAGINATION = 8
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

STATIC_PATHS = ["images", "extra"]
EXTRA_PATH_METADATA = {}

# Typogrify makes prose typographically nice, but it must never rewrite code,
# scripts, forms or the data of our widgets (custom elements and anything
# the widget plugins add their own tags too). Titles are stripped of its markup in the theme.
TYPOGRIFY = True
# widont is left out: its non-breaking space before the last word leaks into
# feed titles, and on a phone it pushes long last words out of the column.
TYPOGRIFY_OMIT_FILTERS = ["widont"]
TYPOGRIFY_IGNORE_TAGS = [
    "script",
    "style",
    "pre",
    "code",
    "kbd",
    "samp",
    "form",
    "svg",
    "math",
    "textarea",
    "habit-assessment",
    "tip-checklist",
]

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}

# The widgets are pip-installed plugins (plugins/assessment, plugins/checklist,
# on the shared core plugins/widget_blocks; `make install` installs them
# editable). parallel_write (first: it writes the pages at `finalized`),
# feed_guids, content_safety, buildcache, search_index, author_bio and subscribe
# are this site's own, from PLUGIN_PATHS.
PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "parallel_write",
    "feed_guids",
    "share_cards",
    "pelican.plugins.assessment",
    "pelican.plugins.checklist",
    "content_safety",
    "article_nav",
    "buildcache",
    "search_index",
    "author_bio",
    "subscribe",
    "compact_css",
]

# Every feed entry ends with a link back to the article and to these pages
# (slug, link text): plugins/subscribe.
FEED_FOOTER_LINKS = [
    ("networking-habits-assessment", "Check your own habits: the five-minute self-assessment"),
]

# The search page (theme/templates/search.html) at search/, and the index it
# searches in the reader's browser, written by plugins/search_index on every
# build (see its README). Without JavaScript the page lists the topics, the
# tags and the archive.
TEMPLATE_PAGES = {"search.html": "search/index.html"}
SEARCH_INDEX_SAVE_AS = "search-index.json"

# plugins/article_nav (see its README): a table of contents on articles with
# at least this many `##` sections, and this many related articles (by shared
# tags) at the end of each article. Series come from `Series:` metadata.
ARTICLE_TOC_MIN_SECTIONS = 4
RELATED_READING_COUNT = 3

# No feeds while writing locally; publishconf.py turns them on.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Fast rebuilds (plugins/buildcache, see its README): what Markdown, our
# plugins and typogrify make of each file is kept in CACHE_PATH (cache/),
# keyed by the file's bytes, these settings, the plugins' code and the
# library versions, so it is never stale. BUILD_CACHE = False turns it off.
# Pelican's own content cache stays off: it keeps stale plugin output.
BUILD_CACHE = True
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# The theme reads these. HOME_FEATURES: pages (by slug) the home page offers
# as ways in, with a short label each.
HOME_FEATURES = [
    ("start-here", "First steps"),
    ("networking-habits-assessment", "Self-assessment · about five minutes"),
]
# The header menu: pages by slug, with short labels, in this order. The theme
# adds Browse (archives/: topics, tags, all articles) and, when the site has
# a page with slug "search", Search; the site's name links home. The labels
# must fit one row from 768 px wide (tests/test_header.py measures it).
NAV_PAGES = [
    ("start-here", "Start here"),
    ("networking-habits-assessment", "Assessment"),
    ("weekly-career-exercise", "Weekly exercise"),
    ("about", "About"),
]
SOCIAL_CARD_TYPE = "summary"

# Share cards and icons (plugins/share_cards, see its README): publish builds
# draw a 1200×630 card for every article and page (title, category, site
# name) for og:image and twitter:image; an article may name its own with
# `Image: {static}/images/x.png` and `Image_alt:`. Every build writes the PNG
# icons and site.webmanifest. Cards are cached in CACHE_PATH. The defaults:
SHARE_CARDS = True
SHARE_CARDS_DIR = "images/cards"
# SHARE_CARD_FONT = "plugins/share_cards/fonts/NotoSerif-Bold.ttf"
# SHARE_CARD_COLORS = {"background": "#0b57a4", "title": "#ffffff", "label": "#fdba74"}
SITE_ICONS = True
SITE_SHORT_NAME = "Career Exercise"
READING_WORDS_PER_MINUTE = 220

# Nothing executable gets published (plugins/content_safety, see its README):
# every build checks each article's and page's metadata and published HTML
# and stops before writing on a script, an on* handler, a javascript: URL,
# an embed or a form posting elsewhere; the theme's meta_html and meta_text
# filters come from it. CONTENT_SAFETY_CACHE = False re-checks every body.
# The theme shows author text through its filters whatever PLUGINS lists
# (tests build with other lists), so they are set here too; so is
# article_nav's article_toc (without the plugin it lists no sections), and
# svg_data_uri (plugins/theme_icon.py), which inlines the theme's SVG icon in
# every page's head: a data: URL costs the reader no request.
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

if str(Path(__file__).resolve().parent / "plugins") not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent / "plugins"))
from article_nav import FILTERS as article_nav_filters  # noqa: E402
from content_safety import filters as content_safety_filters  # noqa: E402
from scheduled import JINJA_TESTS as SCHEDULED_TESTS  # noqa: E402
from theme_icon import FILTERS as theme_icon_filters  # noqa: E402

JINJA_FILTERS = {**content_safety_filters.FILTERS, **article_nav_filters, **theme_icon_filters}

# Scheduled posts (plugins/scheduled): an article dated in the future shows
# in local builds and `make devserver`, marked "Scheduled for <date>".
# publishconf.py sets WITH_FUTURE_DATES = False, so publish builds leave it
# out of every page, list, feed and the sitemap until the first build after
# its date (the CI workflow builds daily).
WITH_FUTURE_DATES = True
JINJA_TESTS = {**SCHEDULED_TESTS}
