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
PORT ?= 0
ifneq ($(PORT), 0)
	PELICANOPTS += -p $(PORT)
endif

.DEFAULT_GOAL := help

help:
	@echo 'Career Exercise: make targets'
	@echo ''
	@echo '  make html          build the site into output/ (local settings)'
	@echo '  make test          run every test (unit, build, feeds, browser)'
	@echo '  make lint          check the Python code with ruff'
	@echo '  make install       create .venv from the pinned requirements'
	@echo '  make clean         remove the built site and caches'
	@echo '  make regenerate    rebuild whenever content or theme change'
	@echo '  make serve [PORT=8000]      serve output/ on http://$(SERVER)'
	@echo '  make devserver [PORT=8000]  regenerate and serve together'
	@echo '  make publish       build with publish settings (absolute URLs, feeds)'
	@echo '  make github        publish, then push output/ to the $(GITHUB_PAGES_BRANCH) branch'
	@echo ''
	@echo 'Options: DEBUG=1 for debug output, RELATIVE=1 for relative URLs,'
	@echo '         SITEURL=https://host/path for publish, CNAME=domain for github.'

# The venv is rebuilt whenever a requirement file changes; node_modules holds
# test-only tools (axe-core) pinned in package-lock.json.
install: $(VENV)/.installed node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

html: install
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) --fatal errors $(PELICANOPTS)

clean:
	rm -rf $(OUTPUTDIR) $(STAGEDIR) cache .pytest_cache

regenerate: install
	$(PELICAN) -r $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) $(PELICANOPTS)

serve: install
	$(PELICAN) -l $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) -b $(SERVER) $(PELICANOPTS)

devserver: install
	$(PELICAN) -lr $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) -b $(SERVER) $(PELICANOPTS)

# Warnings are fatal when publishing, and the new site replaces output/ only
# when the whole build succeeded: a failed publish leaves output/ as it was.
publish: install
	rm -rf $(STAGEDIR)
	$(PELICAN) $(INPUTDIR) -o $(STAGEDIR) -s $(PUBLISHCONF) --fatal warnings $(PELICANOPTS)
	rm -rf $(OUTPUTDIR).previous
	if [ -d $(OUTPUTDIR) ]; then mv $(OUTPUTDIR) $(OUTPUTDIR).previous; fi
	mv $(STAGEDIR) $(OUTPUTDIR)
	rm -rf $(OUTPUTDIR).previous

# ghp-import commits on top of the local pages branch, so fetch the remote
# one first (a fresh clone has none) to add a commit instead of rewriting.
github: publish
	-git fetch --quiet $(GITHUB_PAGES_REMOTE) $(GITHUB_PAGES_BRANCH):$(GITHUB_PAGES_BRANCH) 2>/dev/null
	$(BIN)/ghp-import --no-jekyll --push \
		--remote $(GITHUB_PAGES_REMOTE) --branch $(GITHUB_PAGES_BRANCH) \
		$(if $(CNAME),--cname $(CNAME)) \
		--message "Publish site from $$(git rev-parse --short HEAD)" \
		$(OUTPUTDIR)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

.PHONY: help install html clean regenerate serve devserver publish github test lint
