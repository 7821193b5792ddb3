# involve: run `make help` for the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BOARD ?= corpora/demo
CODEBOOK ?= themes/demo-survey-2022.yaml
OUT ?= outputs/$(notdir $(patsubst %/,%,$(BOARD)))
GOLD ?= tests/gold/demo.csv
# antiword reads legacy Word .doc files (docs/formats.md).
APT_PACKAGES := poppler-utils tesseract-ocr tesseract-ocr-eng antiword chromium

# Nothing is fetched from a model hub at run time. (OCR runs tesseract on one thread by its own
# subprocess's environment; a limit exported here would hold the sentence model to one core.)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: help install system-packages analyse report validate qdpx test test-fast fuzz check lint typecheck realworld \
        focus-eval focus-fit privacy-eval \
        demo-corpus second-corpus notebooks fixtures survey docs clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

install: system-packages $(VENV)/.installed ## Set everything up (system packages, .venv, the project)

system-packages:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
		if [ -n "$$missing" ]; then echo "Installing system packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; \
	else \
		for c in pdftotext tesseract antiword chromium; do command -v $$c >/dev/null || \
			echo "NOTE: '$$c' not found. Install $(APT_PACKAGES) with your system's package manager for OCR, PDF and .doc tools and the report's browser check; carrying on."; done; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	@# torch first, pinned to the CPU build: anything else pulls gigabytes of CUDA packages.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[embed,topics,ner,dask,dev,notebooks]"
	touch $@

analyse: ## Analyse a board's documents (BOARD=corpora/demo, CODEBOOK=..., OUT=...)
	$(BIN)/involve analyse $(BOARD) --codebook $(CODEBOOK) --out $(OUT)

report: ## Rebuild the report and write the annual report (HTML, PDF) for each year (OUT=...)
	$(BIN)/involve report $(OUT) --all-years

validate: ## Agreement of the outputs with human coding (GOLD=tests/gold/demo.csv)
	$(BIN)/involve validate $(OUT) --gold $(GOLD)

qdpx: ## The coding as a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder (OUT=...)
	$(BIN)/involve export qdpx $(OUT)

test: ## Run the whole test suite (what CI runs)
	$(BIN)/python -m pytest

test-fast: ## The fast tier for the edit loop: every test not marked slow (under a minute)
	$(BIN)/python -m pytest -m "not slow" -q

FUZZ_N ?= 10000
# OCR reads a page in seconds: 10,000 scans would take the 2 cores most of a day.
FUZZ_OCR_N ?= 300
fuzz: ## Fuzz every reader with FUZZ_N mutated files each, OCR FUZZ_OCR_N (build/fuzz/); not in make test
	$(BIN)/python tests/fuzz.py --per-reader $(FUZZ_N) --ocr-inputs $(FUZZ_OCR_N) \
		--json build/fuzz/figures.json --keep build/fuzz/failed

PRIVACY_N ?= 100
privacy-eval: ## Plant PRIVACY_N names of each kind, analyse with NER on and off, count escapes (build/privacy/)
	$(BIN)/python tests/adversarial_names.py --per-kind $(PRIVACY_N) --json build/privacy/figures.json

REALWORLD ?= ../shared/realworld
realworld: ## Agreement with hand coding of real minutes, then each body's reports and checks (REALWORLD=path)
	REALWORLD=$(REALWORLD) $(BIN)/involve realworld $(REALWORLD) --out build/realworld
	REALWORLD=$(REALWORLD) $(BIN)/involve realworld $(REALWORLD) --reports --out build/realworld

focus-eval: ## Focus leave-one-body-out on the real-world gold: rules, baselines, model (REALWORLD=path)
	$(BIN)/python -m pipeline.classify.focus.lobo $(REALWORLD) --out build/focus-lobo

focus-fit: ## Refit the shipped focus model (pipeline/data/focus-model.*) on the real-world folder
	$(BIN)/python -m pipeline.classify.focus.shipped $(REALWORLD)

styles-eval: ## Attendance, speaker and item agreement on the minute-style fixtures (issue 4)
	$(BIN)/python tests/styles_eval.py
	$(BIN)/python tests/styles_eval.py --no-board

check: lint typecheck ## ruff and mypy

lint:
	$(BIN)/ruff check pipeline tests corpora/build themes/build bench
	$(BIN)/ruff format --check pipeline tests

typecheck:
	$(BIN)/mypy

demo-corpus: ## Regenerate corpora/demo from corpora/build/demo (after editing the source text)
	$(BIN)/python corpora/build/build_demo.py

second-corpus: ## Regenerate the second board (corpora/calderbrook), its survey and its codebook
	$(BIN)/python corpora/build/build_demo.py --corpus calderbrook
	$(BIN)/python themes/build/make_survey_calderbrook.py
	$(BIN)/involve themes from-survey themes/calderbrook-survey-2023.csv \
		--out themes/calderbrook-survey-2023.yaml --name calderbrook-survey-2023 \
		--source "Online survey of Calderbrook young people and parent carers, spring 2023 (n=342)"

notebooks: ## Pair each notebook with its jupytext script (after editing either)
	$(BIN)/jupytext --sync notebooks/*.py

fixtures: ## Regenerate the small test fixture files
	$(BIN)/python tests/fixtures/make_fixtures.py

survey: ## Regenerate the demo survey CSV and its codebook
	$(BIN)/python themes/build/make_survey.py
	$(BIN)/involve themes from-survey themes/demo-survey-2022.csv --out $(CODEBOOK) \
		--name demo-survey-2022 --source "Postal survey of Harrowmere mental health service users, 2022 (n=412)"

clean: ## Remove generated outputs (not the corpora)
	rm -rf outputs/*/ build

docs: ## Regenerate docs/tables.md from the table schemas
	$(BIN)/python -c "from pipeline.core import schemas; open('docs/tables.md', 'w').write(schemas.markdown())"

.PHONY: bench
bench: ## Time `involve ingest` against pdftotext, pdfplumber, pypdfium2 (build/bench/ingest.md)
	$(BIN)/python bench/ingest_bench.py

BENCH_N ?= 100 300 1000
.PHONY: bench-scale
bench-scale: ## Cost of `involve analyse` per stage and per meeting at BENCH_N meetings, cold, then one added (build/bench-scale/)
	$(BIN)/python bench/scale_bench.py --sizes $(BENCH_N)
