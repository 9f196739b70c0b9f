# The commands that the README names. Each one sets up what it needs on a fresh machine
# (Python venv, npm assets, Debian packages), so it works where nothing was installed by hand.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
JB := $(BIN)/jupyter-book
JB_FLAGS := -W -n --keep-going
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages: a browser for the site tests; poppler and TeX Live (xelatex) for the PDF.
APT_PACKAGES := chromium fonts-liberation poppler-utils latexmk texlive-latex-recommended \
	texlive-latex-extra texlive-fonts-recommended texlive-xetex texlive-plain-generic \
	fonts-freefont-otf tex-gyre lmodern

.PHONY: setup system html test serve clean

setup: $(VENV)/.installed _vendor/mathjax/tex-chtml.js

$(VENV)/.installed: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# MathJax is served by the site itself (no CDN): only the CommonHTML build and what it loads.
_vendor/mathjax/tex-chtml.js: node_modules/.installed
	rm -rf _vendor/mathjax && mkdir -p _vendor/mathjax
	cp -r node_modules/mathjax/es5/{tex-chtml.js,input,output,ui,a11y,sre,adaptors} _vendor/mathjax/

system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

html: setup
	$(JB) build . --builder html $(JB_FLAGS)

test: setup system html
	$(BIN)/pytest

serve: html
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html 8000

clean:
	rm -rf _build _vendor
