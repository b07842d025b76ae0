# GPT from scratch: set-up and everyday commands. `make help` lists them.
#   make lab      install (first time only) and open JupyterLab on the course, at your own copy of chapter 00
#   make test     install (first time only) and run the whole test suite, every notebook included

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WORK := my-notebooks
JOBS ?= 2
PYTEST_ARGS ?=
# Open a browser only where there is a screen; as root (hub containers, servers) JupyterLab needs --allow-root.
LAB_FLAGS := $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY),$(filter Darwin,$(shell uname -s))),,--no-browser) \
             $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: help install lab test notebooks check-notebooks lint diff reset handout progress grade site clean

help:
	@grep -E '^#   make' Makefile | sed 's/^#   //'
	@echo "  make diff CHAPTER=01    what changed in the course's chapter 01 since you copied it (and your answers)"
	@echo "  make reset CHAPTER=01   put a fresh copy of chapter 01 in $(WORK)/ (yours is kept as a backup)"
	@echo "  make notebooks          rebuild the notebooks from notebooks/src (authors)"
	@echo "  make lint               ruff and codespell"
	@echo "  make progress           your exercises in every chapter: done, not yet, and the next one"
	@echo "  make handout DIR=path   write a copy of the course without solution notebooks (instructors)"
	@echo "  make grade DIR=path     run a class's notebooks and write grading-report/ (instructors; see README)"
	@echo "  make site               the course as a website in site/, every solution notebook run in full"

# The stamp is newer than the pins once installed, so a second run installs nothing and needs no network.
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 13) else "Python 3.10 to 3.13 is needed, found %d.%d: set PYTHON=python3.11" % v)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	touch $(STAMP)

install: $(STAMP)

# Your own copies of the learner notebooks: created once, never overwritten by the course, ignored by git.
$(WORK): | $(STAMP)
	mkdir -p $(WORK)

# JupyterLab serves the whole course and opens your copy of chapter 00; my-notebooks/ links to the solutions
# and course_utils, so that each is a double-click away.
lab: $(STAMP) | $(WORK)
	$(BIN)/python tools/workspace.py lab $(WORK) $(LAB_FLAGS)

diff: $(STAMP)
	@test -n "$(CHAPTER)" || (echo "Say which chapter: make diff CHAPTER=03"; exit 2)
	@$(BIN)/python tools/workspace.py diff $(WORK) $(CHAPTER)

reset: $(STAMP)
	@test -n "$(CHAPTER)" || (echo "Say which chapter: make reset CHAPTER=01"; exit 2)
	$(BIN)/python tools/workspace.py reset $(WORK) $(CHAPTER)

test: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval --nbval-current-env tests notebooks $(PYTEST_ARGS)

notebooks: $(STAMP)
	$(BIN)/python tools/build_notebooks.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/codespell

handout: $(STAMP)
	@test -n "$(DIR)" || (echo "Say where: make handout DIR=../course-for-students"; exit 2)
	$(BIN)/python tools/handout.py $(DIR)

progress: $(STAMP)
	@$(BIN)/python -m course_utils.learner_progress $(WORK)

grade: $(STAMP)
	@test -n "$(DIR)" || (echo "Say where the class's work is: make grade DIR=../submissions"; exit 2)
	$(BIN)/python -m course_utils.grade $(DIR) --out grading-report --jobs $(JOBS)

site: $(STAMP)
	$(BIN)/python tools/build_site.py --out site

clean:
	rm -rf $(VENV)
