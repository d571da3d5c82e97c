# The two commands a newcomer needs: `make demo` and `make test`. Everything else here is what
# they are made of: each environment is made on demand, and brought up to date (pip installs only
# what changed) when its pinned requirements change.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
RASA_VENV := .venv-rasa
VAR := var
DATA ?=

# Which catalog `make demo` serves: the built-in demo catalog unless DATA names another folder
# in H&M's layout.
DEMO_DATA := $(VAR)/demo-data

.PHONY: help demo test venvs test-recommender test-rasa clean

help:
	@echo "make demo               set up, build the demo catalog, train, start everything"
	@echo "make demo DATA=<dir>    the same on a catalog in H&M's layout"
	@echo "make test               set up and run every test"

venvs: $(VENV)/.installed $(RASA_VENV)/.installed bot/node_modules/.installed

$(VENV)/.installed: requirements/recommender.txt pyproject.toml
	@[ -x $(VENV)/bin/python ] || { python=$$(scripts/find-python.sh 3.11) && "$$python" -m venv $(VENV); }
	$(VENV)/bin/pip install --quiet -r requirements/recommender.txt
	$(VENV)/bin/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

$(RASA_VENV)/.installed: requirements/rasa.txt
	@[ -x $(RASA_VENV)/bin/python ] || { python=$$(scripts/find-python.sh 3.10) && "$$python" -m venv $(RASA_VENV); }
	$(RASA_VENV)/bin/pip install --quiet -r requirements/rasa.txt
	@touch $@

# The widget's front-end packages (the socket.io client), exactly as package-lock.json pins them.
bot/node_modules/.installed: bot/package.json bot/package-lock.json
	cd bot && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

demo: venvs
	@DATA="$(DATA)" DEMO_DATA="$(DEMO_DATA)" VENV="$(VENV)" RASA_VENV="$(RASA_VENV)" scripts/demo.sh

test: venvs
	@scripts/test.sh

clean:
	rm -rf $(VAR)
