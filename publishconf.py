"""Settings for publishing: `make publish` and `make github`.

SITEURL comes from the environment when set, so one checkout can publish to
any host: `SITEURL=https://me.github.io/site make publish`.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *

SITEURL = os.environ.get("SITEURL", "https://career-exercise.example").rstrip("/")
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

DELETE_OUTPUT_DIRECTORY = True
# ghp-import and hosts' own files survive a clean publish.
OUTPUT_RETENTION = [".git", "CNAME", ".nojekyll"]
