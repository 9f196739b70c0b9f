# The commands that README.md, CONTRIBUTING.md and MAINTAINING.md name. Each one sets up what it
# needs on a fresh machine (Python venv, npm assets, Debian packages), so it works where nothing
# was installed by hand.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages: a browser for the site tests; poppler and TeX Live (xelatex) for the PDF.
APT_PACKAGES := chromium fonts-liberation poppler-utils latexmk texlive-latex-recommended \
	texlive-latex-extra texlive-fonts-recommended texlive-xetex texlive-plain-generic \
	fonts-freefont-otf lmodern fonts-dejavu-core

.PHONY: setup system html pdf lint test test-gate test-fast serve preview clean bench bench-hub hub-venv lock assignments FORCE

setup: $(VENV)/.installed _vendor/mathjax/LICENSE _vendor/plot/plot.umd.min.js _vendor/pyodide/pyodide-lock.json

# The Python that runtime.txt names (Binder's), for the venv; `make PYTHON=/path/to/python3.11`
# points at another install of it. Downloads are retried: a fresh machine's network may hiccup.
PYTHON ?= python3.11
PIP_FLAGS := --quiet --retries 5 --timeout 60

# requirements.txt is the readers' environment (Binder's, the hub's); requirements-dev.txt and the
# course's build tooling (code/course_build/, the site's extensions and tools) come on top, for the
# site and its checks only.
$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml code/course_build/pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found. The course needs \
	Python 3.11 (runtime.txt): install it, or run make PYTHON=/path/to/python3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install $(PIP_FLAGS) --upgrade pip
	$(BIN)/pip install $(PIP_FLAGS) -r requirements.txt -r requirements-dev.txt
	$(BIN)/pip install $(PIP_FLAGS) -e code/course_build
	touch $@

# The hub of the hub tests and `make bench-hub`, in an environment of its own: JupyterHub and the LTI
# authenticator as Zero to JupyterHub's chart runs them (code/course_build/hub-requirements.txt); the
# students' servers come from $(VENV), as they come from the course's image on a school's hub.
HUB_VENV := _build/hub-venv
hub-venv: $(HUB_VENV)/.installed
$(HUB_VENV)/.installed: code/course_build/hub-requirements.txt
	rm -rf $(HUB_VENV) && $(PYTHON) -m venv $(HUB_VENV)
	$(HUB_VENV)/bin/pip install $(PIP_FLAGS) --upgrade pip
	$(HUB_VENV)/bin/pip install $(PIP_FLAGS) -r $<
	touch $@

# The locks: requirements.in lists what the course uses directly; requirements.txt pins every package
# (pip-tools), for readers, Binder and CI alike; requirements-dev.txt pins what the site's checks add,
# within those pins; code/course_build/hub-requirements.txt pins the test hub's, within the chart's.
# Run `make lock` after editing a .in file; it keeps the pins that still fit, so `make lock` alone
# changes nothing (`make lock UPGRADE=--upgrade` moves them all).
LOCK_FLAGS := --quiet --strip-extras --annotation-style=line --no-emit-index-url \
	--no-emit-find-links --no-emit-trusted-host
lock: $(VENV)/.installed
	$(BIN)/pip install $(PIP_FLAGS) pip-tools==7.6.2
	$(BIN)/pip-compile $(LOCK_FLAGS) $(UPGRADE) --output-file requirements.txt requirements.in
	sed -i 's|^-e file://.*|-e .|' requirements.txt  # the helper, from this checkout wherever it is
	mkdir -p _build && grep -v '^-e ' requirements.txt > _build/readers-pins.txt  # pip takes no editable as a constraint
	$(BIN)/pip-compile $(LOCK_FLAGS) $(UPGRADE) --constraint _build/readers-pins.txt \
		--output-file requirements-dev.txt requirements-dev.in
	$(BIN)/pip-compile $(LOCK_FLAGS) $(UPGRADE) --output-file code/course_build/hub-requirements.txt \
		code/course_build/hub-requirements.in  # within the chart's pins (hub-chart-4.4.0.txt)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --fetch-retries=5
	touch $@

# MathJax 4 typesets the pages when the site is built (code/course_build/ext/built_maths.py); the
# site serves its font's woff2 files itself (no CDN), which the pages' stylesheets name.
# A library copied again replaces its copy in the built site too: Sphinx copies static files but
# never removes one, and the site would keep serving the old version's files beside the new.
_vendor/mathjax/LICENSE: node_modules/.installed
	rm -rf _vendor/mathjax _build/html/_static/mathjax && mkdir -p _vendor/mathjax
	cp -r node_modules/@mathjax/mathjax-newcm-font/chtml/woff2 _vendor/mathjax/
	cp node_modules/mathjax/LICENSE _vendor/mathjax/

# Observable Plot and D3 for the explorers, served by the site itself (their UMD builds).
_vendor/plot/plot.umd.min.js: node_modules/.installed
	rm -rf _vendor/plot _build/html/_static/plot && mkdir -p _vendor/plot
	cp node_modules/d3/dist/d3.min.js node_modules/d3/LICENSE _vendor/plot/
	cp node_modules/@observablehq/plot/dist/plot.umd.min.js _vendor/plot/
	cp node_modules/@observablehq/plot/LICENSE _vendor/plot/LICENSE.plot

# Python for the reader's browser: Pyodide's core from npm, numpy, scipy and matplotlib from the Pyodide
# package set pinned by hash in code/course_build/pyodide-packages.txt, each file checked against npm's lock.
_vendor/pyodide/pyodide-lock.json: node_modules/.installed $(VENV)/.installed code/course_build/vendor_pyodide.py code/course_build/pyodide-packages.txt
	rm -rf _build/html/_static/pyodide
	$(BIN)/python -m course_build.vendor_pyodide --npm node_modules/pyodide --out _vendor/pyodide

# Wait for another apt or dpkg (a fresh machine's own updates) instead of failing; retry downloads.
APT_FLAGS := -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3

system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		$(SUDO) apt-get $(APT_FLAGS) update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get $(APT_FLAGS) install -y -qq --no-install-recommends $$missing; \
	fi

# The chapters run in parallel into the execution cache first (code/course_build/execute.py), then the strict
# build reads them from it. The cache is keyed on the helper package and requirements.txt too
# (code/course_build/ext/execution_deps.py): a rebuild executes only the chapters whose code or dependencies changed.
# When nothing the site is made from (the served _vendor/ files included: their set-up stamps) is newer
# than the last good build, there is nothing to do:
# not even the few seconds that Sphinx needs to find out that nothing changed. A failed build
# stays failed until its cause is fixed (code/course_build/build.py).
SOURCES := $(shell find book code _assets -type f -not -path '*/__pycache__/*' -not -path '*.egg-info/*') \
	_config.yml _toc.yml requirements.txt pyproject.toml runtime.txt \
	_vendor/mathjax/LICENSE _vendor/plot/plot.umd.min.js _vendor/pyodide/pyodide-lock.json
HTML_STAMP := _build/html/.built
# The PDF if it is newer than every source, else nothing: `make html` copies a current PDF into the
# site before it builds, and the pages link it (code/course_build/ext/course_pdf.py)
CURRENT_PDF = $(if $(wildcard $(PDF)),$(if $(shell find $(SOURCES) -newer $(PDF) | head -1),,$(PDF)))
# Where the downloads install the helper from (code/course_build/ext/notebooks.py): the newest commit that changed it,
# or none while it has uncommitted changes. Written again only when that changes, so that a commit
# of the helper's changes builds the downloads again and other commits build nothing.
HELPER_STATE := _build/.helper-commit

html: setup $(HTML_STAMP)

$(HELPER_STATE): FORCE
	@mkdir -p $(@D); \
	state="$$(git log -1 --format=%H -- code/likelihood_course pyproject.toml 2>/dev/null) $$(git status --porcelain --untracked-files=all -- code/likelihood_course pyproject.toml 2>/dev/null | grep -c .)"; \
	[ "$$(cat $@ 2>/dev/null)" = "$$state" ] || echo "$$state" > $@
FORCE:

$(HTML_STAMP): $(SOURCES) $(HELPER_STATE)
	rm -f _build/html/course.pdf  # the PDF of older sources: `make pdf` copies a current one
	$(if $(CURRENT_PDF),mkdir -p _build/html && cp $(PDF) _build/html/course.pdf)
	$(BIN)/python -m course_build.build --builder html
	touch $@

# The whole book as one PDF (Sphinx's LaTeX through XeLaTeX): $(PDF), also copied into the site
# as _build/html/course.pdf, which the intro page links to. Sphinx warnings are errors, and LaTeX
# stops at its first error; tests/test_pdf.py reads the LaTeX log for the rest.
PDF := _build/latex/course.pdf
pdf: setup system $(PDF)
	mkdir -p _build/html && cp $(PDF) _build/html/course.pdf
	$(BIN)/python -m course_build.ext.course_pdf _build/html  # the pages show their links to it
	@echo "PDF: $(PDF), $$(pdfinfo $(PDF) | awk '/^Pages:/ {print $$2}') pages, copied to _build/html/course.pdf"

# Like the site, the PDF is built again only when a source is newer than it.
$(PDF): $(SOURCES)
	rm -f $@
	LATEXOPTS="-interaction=nonstopmode -halt-on-error -file-line-error" \
		$(BIN)/python -m course_build.build --builder pdflatex

# Graded homework: one assignment per core chapter's coding exercise, made by otter-grader's `otter
# assign` into _build/assignments/<chapter>/ (student/: the notebook to hand out, no solutions;
# autograder/: autograder.zip with the hidden tests, for `otter run`). code/course_build/assignments.py;
# book/teaching.md, "Assignments", says how to hand them out and grade them.
assignments: setup
	$(BIN)/python -m course_build.assignments --out _build/assignments

# Every test, on two workers (pytest-xdist; CI's machine has two cores): a test file stays on one
# worker, so that what a file's tests share (Binder's environment, the browser's visits of every
# page, the hub) is made once. The slow layers (binder, hub, process) rehearse what a reader's or
# a school's own installation does; `make test-gate` is the rest, for a pull request.
PYTEST_WORKERS := -n 2 --dist loadfile
# The PDF (XeLaTeX keeps one core busy) and the hub's environment (pip, mostly waiting) are made at once.
test: setup system lint html
	$(MAKE) --no-print-directory -j2 pdf hub-venv
	$(BIN)/pytest $(PYTEST_WORKERS)

test-gate: setup system lint html pdf
	$(BIN)/pytest -m "not (binder or hub or process)" $(PYTEST_WORKERS)

# Lint and format (ruff) and the workflows (actionlint), on every file, as each commit runs them
# (.pre-commit-config.yaml).
lint: setup
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

# After an edit: the helper's units and the built HTML, on every core (pytest-xdist: each worker
# starts with half of the tests and takes from the other's when it runs out), with 50 Hypothesis
# examples a property instead of 250 (tests/conftest.py). `make test` is the full run, which CI calls.
test-fast: setup lint html
	$(BIN)/pytest -m "unit or site" -q -n auto --dist worksteal --hypothesis-profile=fast

# Build times (cold, parallel vs the chapters' own execution times; rebuilds after no change, a prose
# edit, a code edit), for `make html` and, side by side, Jupyter Book's serial build; the preview;
# page weight and figure sizes, on snapshots of the book: medians of BENCH_REPEAT runs, printed and
# written to _build/bench.json. Then Python in the page, on the built site: each chapter's first output
# after Run with a cold and a warm cache, a cell's re-run (code/course_build/bench_inpage.py, _build/bench_inpage.json).
BENCH_REPEAT ?= 3
bench: setup system html
	$(BIN)/python -m course_build.bench --repeat $(BENCH_REPEAT) --json _build/bench.json
	$(BIN)/python -m course_build.bench_inpage --repeat $(BENCH_REPEAT) --json _build/bench_inpage.json

# A class on JupyterHub: a real hub on loopback, 1, 5, 10 and 20 students following the site's link
# to the heaviest chapter at once (code/course_build/bench_hub.py; 18 minutes on 2 cores). Prints the times and
# memory and writes them where the instructors' guide reads them (its table and sizing follow).
bench-hub: setup system html hub-venv
	$(BIN)/python -m course_build.bench_hub --save

# The built site on loopback, gzipped as GitHub Pages serves it (code/course_build/serving.py).
serve: html
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl-C to stop)"
	$(BIN)/python -m course_build.serving --bind 127.0.0.1 --directory _build/html 8000

# For authors: a server on loopback that rebuilds the site when a source is saved, and the open page
# reloads itself (code/course_build/preview.py: sphinx-autobuild's server; one Sphinx kept in memory between
# saves; conf.py, the strict flags of `make html` and its execution cache). It builds into
# _build/preview, never into _build/html.
PREVIEW_PORT ?= 8000
preview: setup
	$(BIN)/python -m course_build.preview . --port $(PREVIEW_PORT)

clean:
	rm -rf _build _vendor
