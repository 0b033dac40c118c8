# Two entry points for a fresh machine: `make run` (the main job) and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export MLFLOW_TRACKING_URI ?= sqlite:///$(CURDIR)/mlflow.db
# DVC stage commands call `linktox`, so the venv's bin must come first on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: install run test lint bench

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,spark]'
	touch $(STAMP)

install: $(STAMP)

## Train on the synthetic world (DVC pipeline), then score the sample export it produced.
run: install
	$(BIN)/dvc repro
	$(BIN)/linktox score data/raw/sample_export.csv --model data/models/bundle \
		--out data/scored/sample_scored.csv \
		--domains data/scored/sample_domains.csv --disavow data/scored/disavow.txt \
		--report data/scored/report.html

## Lint, then the whole test suite (unit, pipeline and end-to-end on small data).
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/run.py
