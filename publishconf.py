"""Settings for publishing: `make publish` and `make github`.

SITEURL comes from the environment when set, so one checkout can publish to
any host: `SITEURL=https://me.github.io/site make publish`.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *

SITEURL = os.environ.get("SITEURL", PUBLISH_SITEURL).rstrip("/")
RELATIVE_URLS = False

# Feed ids are built from FEED_DOMAIN; without it Pelican writes "tag:None".
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{slug}.rss.xml"
# Subscribers get the whole article, not a teaser.
RSS_FEED_SUMMARY_ONLY = False
FEED_MAX_ITEMS = 50

# Scheduled posts: Pelican makes an article dated in the future a draft, and
# drafts are not written at all (by default they go to drafts/, unlisted but
# reachable by anyone who guesses the URL). It goes live with the first
# publish after its date: .github/workflows/pages.yml publishes daily.
WITH_FUTURE_DATES = False
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""

DELETE_OUTPUT_DIRECTORY = True
# ghp-import and hosts' own files survive a clean publish.
OUTPUT_RETENTION = [".git", "CNAME", ".nojekyll"]

# sitemap.xml (the pelican-sitemap plugin) and a robots.txt that points to it.
# Both need absolute URLs, so only publish builds write them. robots.txt is a
# template page (theme/templates/robots.txt), so its Sitemap: line follows
# SITEURL. Crawlers read robots.txt only at a host's root: on a project site
# (me.github.io/site) submit the sitemap to search engines yourself.
PLUGINS = [*PLUGINS, "sitemap"]
SITEMAP = {
    "format": "xml",
    # the 404 page is noindex; robots.txt is not a page
    "exclude": [r"^404\.html$", r"^robots\.txt$"],
    "changefreqs": {"articles": "monthly", "pages": "monthly", "indexes": "weekly"},
}
TEMPLATE_PAGES = {**TEMPLATE_PAGES, "robots.txt": "robots.txt"}
