# Career Exercise: build, preview, test and publish the site.
# A fresh clone needs only `make html` and `make test`: both create .venv
# from the pinned requirement files when it is missing or out of date.

PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
PELICAN = $(BIN)/pelican
PELICANOPTS ?=

BASEDIR = $(CURDIR)
INPUTDIR = $(BASEDIR)/content
OUTPUTDIR = $(BASEDIR)/output
CONFFILE = $(BASEDIR)/pelicanconf.py
PUBLISHCONF = $(BASEDIR)/publishconf.py
# publish builds here first and swaps into $(OUTPUTDIR) only on success
STAGEDIR = $(BASEDIR)/.publish-stage
HTMLSTAGE = $(BASEDIR)/.html-stage

# the publishing gates (tools/sitecheck): `make check` runs them on output/
CHECKCONF ?= $(PUBLISHCONF)
GATES ?= html,links,feeds,privacy,a11y
# (plugins/: the gates read unsafe URLs with content_safety's rules)
SITECHECK = PYTHONPATH=$(BASEDIR)/tools:$(BASEDIR)/plugins $(BIN)/python -m sitecheck
# builds with Pelican, warnings fatal, naming each problem's file and line
SITEBUILD = $(BIN)/python $(BASEDIR)/tools/sitebuild.py$(if $(filter 1,$(DEBUG)), --verbose)$(if $(filter 1,$(RELATIVE)), --relative-urls)

# tools/placeholders.py: the demo's placeholders left (README, "Make it
# yours"). `make publish` warns about each; `make github` refuses to deploy
# while any is left, unless ALLOW_PLACEHOLDERS=1.
ALLOW_PLACEHOLDERS ?= 0
PLACEHOLDERS = PYTHONPATH=$(BASEDIR)/tools:$(BASEDIR)/plugins $(BIN)/python $(BASEDIR)/tools/placeholders.py \
	--settings $(PUBLISHCONF) --content $(INPUTDIR)

GITHUB_PAGES_BRANCH ?= gh-pages
GITHUB_PAGES_REMOTE ?= origin
# set CNAME=example.org to serve the Pages site on your own domain
CNAME ?=

DEBUG ?= 0
ifeq ($(DEBUG), 1)
	PELICANOPTS += -D
endif

RELATIVE ?= 0
ifeq ($(RELATIVE), 1)
	PELICANOPTS += --relative-urls
endif

SERVER ?= 127.0.0.1
PORT ?= 8000

# `make bench` (tools/bench): build time against plain Pelican on a synthetic
# site of BENCH_ARTICLES articles, median of BENCH_REPEAT rounds, and page
# weight; LIGHTHOUSE=1 runs `make lighthouse` first. Results: bench-results/.
BENCH_ARTICLES ?= 1000
BENCH_REPEAT ?= 3
LIGHTHOUSE ?= 0
BENCH = PYTHONPATH=$(BASEDIR)/tools:$(BASEDIR)/plugins $(BIN)/python -m bench
# Lighthouse (npm, pinned in its own lock file) is installed only by
# `make lighthouse`, not by `make install`.
LIGHTHOUSE_DIR = $(BASEDIR)/tools/lighthouse

.DEFAULT_GOAL := help

help:
	@echo 'Career Exercise: make targets'
	@echo ''
	@echo '  make html          build the site into output/ (local settings)'
	@echo '  make test          run every test (unit, build, feeds, browser)'
	@echo '  make test-fast     every test without Chromium or Java (under a minute)'
	@echo '  make lint          check the Python code (ruff), the JavaScript (ESLint)'
	@echo '                     and the CSS (Stylelint) of the plugins and the theme'
	@echo '  make install       create .venv from the pinned requirements'
	@echo '  make clean         remove the built site and caches'
	@echo '  make regenerate    rebuild whenever content or theme change'
	@echo '  make serve [PORT=8000]      serve output/ on http://$(SERVER)'
	@echo '  make devserver [PORT=8000]  rebuild on save and reload the open page'
	@echo '  make publish       build with publish settings, run every gate, then'
	@echo '                     replace output/ (a failed publish leaves it as it was)'
	@echo '  make check         run the gates on output/ (GATES=html,links,feeds,privacy,a11y)'
	@echo '  make github        publish, then push output/ to the $(GITHUB_PAGES_BRANCH) branch'
	@echo '                     (refuses while placeholders are left: ALLOW_PLACEHOLDERS=1)'
	@echo '  make bench         build time against plain Pelican (BENCH_ARTICLES=1000,'
	@echo '                     BENCH_REPEAT=3, LIGHTHOUSE=1) and page weight budgets'
	@echo '  make bench-search  the search index size and search speed, synthetic site'
	@echo '  make lighthouse    Lighthouse scores of the home page, an article and the'
	@echo '                     assessment page (installs lighthouse into tools/lighthouse;'
	@echo '                     LIGHTHOUSE_BUILD=html audits a make html build)'
	@echo ''
	@echo 'Options: DEBUG=1 for debug output, RELATIVE=1 for relative URLs,'
	@echo '         SITEURL=https://host/path for publish, CNAME=domain for github,'
	@echo '         ALLOW_PLACEHOLDERS=1 to deploy the demo with its placeholders.'

# The venv is rebuilt whenever a requirement file changes; node_modules holds
# the development tools (axe-core, vnu-jar, ESLint, Stylelint) pinned with
# their integrity hashes in package-lock.json.
install: $(VENV)/.installed node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The widget plugins (plugins/widget_blocks, assessment, checklist) are
# installed editable, so edits show at the next build. "compat" mode puts each
# folder on sys.path, which Pelican's namespace-plugin discovery can see.
# $(VENV)/wheelhouse holds Pelican and Markdown as wheels
# (requirements-plugin-install.txt): tests/test_plugin_install.py installs the
# plugins into a fresh venv from it, offline.
WIDGET_PLUGINS = plugins/widget_blocks plugins/assessment plugins/checklist

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-plugin-install.txt \
		$(addsuffix /pyproject.toml,$(WIDGET_PLUGINS))
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
		--config-settings editable_mode=compat $(addprefix -e ,$(WIDGET_PLUGINS))
	$(BIN)/python -m pip download --quiet --disable-pip-version-check --only-binary :all: \
		--dest $(VENV)/wheelhouse -r requirements-plugin-install.txt
	@touch $@

# Errors (a broken assessment, a bad date) stop the build with the file and
# line of each; the site is built beside output/ and replaces it only when the
# build succeeded, so nothing half-built is ever left there.
html: install
	@rm -rf $(HTMLSTAGE)
	@$(SITEBUILD) --settings $(CONFFILE) --content $(INPUTDIR) --output $(HTMLSTAGE) \
		--fatal errors \
		|| { rm -rf $(HTMLSTAGE); echo 'html: FAILED: output/ is unchanged'; exit 1; }
	@rm -rf $(OUTPUTDIR).previous; \
	if [ -d $(OUTPUTDIR) ]; then mv $(OUTPUTDIR) $(OUTPUTDIR).previous; fi; \
	mv $(HTMLSTAGE) $(OUTPUTDIR) && rm -rf $(OUTPUTDIR).previous
	@echo 'html: ok, the site is in $(OUTPUTDIR)'

clean:
	rm -rf $(OUTPUTDIR) $(STAGEDIR) $(HTMLSTAGE) cache .pytest_cache

regenerate: install
	$(PELICAN) -r $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) $(PELICANOPTS)

# Serves output/ as built (by `make html`: a publish build links to SITEURL).
serve: install
	$(PELICAN) -l $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) -b $(SERVER) -p $(PORT)

# Builds, serves, rebuilds on every save and reloads the open browser page
# (tools/devserver.py). A broken file is reported here with its file and
# line; the server keeps serving the last good build.
devserver: install
	$(BIN)/python tools/devserver.py --content $(INPUTDIR) --output $(OUTPUTDIR) \
		--settings $(CONFFILE) --bind $(SERVER) --port $(PORT)

# Lists the placeholders left (tools/placeholders.py), builds into
# $(STAGEDIR) with warnings fatal, runs every gate on it, and only then swaps
# it into output/. Any failure removes the stage and leaves output/ exactly
# as it was. Under `make github` the placeholder check refuses, before
# anything is built, instead of warning.
publish: install
	@$(PLACEHOLDERS) $(if $(filter github,$(MAKECMDGOALS)),--refuse --name github \
		$(if $(filter 1,$(ALLOW_PLACEHOLDERS)),--allow))
	@rm -rf $(STAGEDIR) $(OUTPUTDIR).previous
	@echo 'publish: building $(STAGEDIR) (warnings are errors)'
	@$(SITEBUILD) --settings $(PUBLISHCONF) --content $(INPUTDIR) --output $(STAGEDIR) \
		--fatal warnings \
		&& $(SITECHECK) $(STAGEDIR) --settings $(PUBLISHCONF) \
		|| { rm -rf $(STAGEDIR); echo 'publish: FAILED, nothing published: output/ is unchanged'; exit 1; }
	@if [ -d $(OUTPUTDIR) ]; then mv $(OUTPUTDIR) $(OUTPUTDIR).previous; fi; \
	if mv $(STAGEDIR) $(OUTPUTDIR); then rm -rf $(OUTPUTDIR).previous; else \
		rm -rf $(STAGEDIR); \
		if [ -d $(OUTPUTDIR).previous ]; then mv $(OUTPUTDIR).previous $(OUTPUTDIR); fi; \
		echo 'publish: FAILED to swap in the new site: output/ is unchanged'; exit 1; \
	fi
	@echo 'publish: ok, output/ holds the new site'

# The gates on what is in output/, for a publish build. For a `make html`
# build: make check CHECKCONF=pelicanconf.py
check: install
	$(SITECHECK) $(OUTPUTDIR) --settings $(CHECKCONF) --only $(GATES)

# ghp-import commits on top of the remote pages branch when it knows it, so
# fetch it first (a fresh clone has none): each deploy adds a commit instead
# of rewriting history. CNAME goes in on every deploy, as ghp-import drops a
# CNAME the run does not write again. Nothing runs when publish failed, or
# refused because placeholders are left (ALLOW_PLACEHOLDERS=1 overrides).
github: publish
	@git ls-remote --exit-code --heads $(GITHUB_PAGES_REMOTE) $(GITHUB_PAGES_BRANCH) >/dev/null; \
	status=$$?; \
	if [ $$status -eq 0 ]; then \
		git fetch --quiet $(GITHUB_PAGES_REMOTE) \
			+refs/heads/$(GITHUB_PAGES_BRANCH):refs/remotes/$(GITHUB_PAGES_REMOTE)/$(GITHUB_PAGES_BRANCH); \
	elif [ $$status -ne 2 ]; then \
		echo 'github: cannot reach the remote $(GITHUB_PAGES_REMOTE); nothing pushed'; exit 1; \
	fi
	$(BIN)/ghp-import --no-jekyll --push \
		--remote $(GITHUB_PAGES_REMOTE) --branch $(GITHUB_PAGES_BRANCH) \
		$(if $(CNAME),--cname $(CNAME)) \
		--message "Publish site from $$(git rev-parse --short HEAD)$$(git diff --quiet HEAD -- || echo ' with uncommitted changes')" \
		$(OUTPUTDIR)
	@echo 'github: pushed $(OUTPUTDIR) to $(GITHUB_PAGES_REMOTE)/$(GITHUB_PAGES_BRANCH)'

# Every test: those that need no browser on every core (pytest-xdist, a test
# file per process), then the Chromium ones one after the other (browser
# timings stay as on a quiet machine). Both runs always run; either failing
# fails the target.
test: install
	$(BIN)/pytest -m "not browser" -n auto --dist loadfile; status=$$?; \
	$(BIN)/pytest -m browser || status=1; \
	exit $$status

# The fast lane: every test but those that drive Chromium or run Java.
# It runs on every core (pytest-xdist), a test file per process: files
# share module fixtures, and a file's tests keep their order.
test-fast: install
	$(BIN)/pytest -m "not browser and not java" -n auto --dist loadfile

bench: install $(if $(filter 1,$(LIGHTHOUSE)),$(LIGHTHOUSE_DIR)/node_modules/.installed)
	$(BENCH) --articles $(BENCH_ARTICLES) --repeat $(BENCH_REPEAT) \
		--out $(BASEDIR)/bench-results $(if $(filter 1,$(LIGHTHOUSE)),--lighthouse)

# The search part of the bench alone: builds the synthetic site once, then
# the index size and, in Chromium, load time and typing-to-results time.
bench-search: install
	$(BENCH).search --articles $(BENCH_ARTICLES)

# LIGHTHOUSE_BUILD=html audits a `make html` build (relative URLs) instead.
LIGHTHOUSE_BUILD ?= publish
lighthouse: install $(LIGHTHOUSE_DIR)/node_modules/.installed
	$(BENCH).lighthouse --out $(BASEDIR)/bench-results --build $(LIGHTHOUSE_BUILD)

$(LIGHTHOUSE_DIR)/node_modules/.installed: $(LIGHTHOUSE_DIR)/package.json $(LIGHTHOUSE_DIR)/package-lock.json
	cd $(LIGHTHOUSE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# ESLint (eslint.config.js) and Stylelint (stylelint.config.js) check every
# JavaScript and CSS file of the widget plugins and the theme.
NODE_BIN = node_modules/.bin

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(NODE_BIN)/eslint --max-warnings=0 .
	$(NODE_BIN)/stylelint --max-warnings=0 "plugins/**/*.css" "theme/**/*.css"

.PHONY: help install html clean regenerate serve devserver publish check github test test-fast lint \
	bench bench-search lighthouse
