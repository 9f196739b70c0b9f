# The commands that the README names. Each sets up what it needs on a fresh machine.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
JB_FLAGS := -W -n --keep-going

.PHONY: setup html test serve clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

html: setup
	$(BIN)/jupyter-book build . --builder html $(JB_FLAGS)

test: html
	$(BIN)/pytest

serve: html
	$(PY) -m http.server --bind 127.0.0.1 --directory _build/html 8000

clean:
	rm -rf _build
