# One entry point for people and CI. Every target refreshes the local environment first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test check lint types bench corpus fmt clean errors-doc grammars prebuilt schemas browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/rules-engine explain docs/examples/seed.txt

test: $(STAMP) browser
	$(BIN)/python -m pytest -q -n 2

# The HTML report is tested in a real browser: Debian's chromium, installed here when it is
# missing and this machine lets us (root with apt-get, as in CI). Elsewhere those tests skip.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium for the HTML report tests (once)"; \
	    { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -q --no-install-recommends chromium; } >/dev/null 2>&1 \
	    || echo "chromium could not be installed: the browser tests will be skipped"; \
	  else \
	    echo "no chromium (needs root and apt-get to install it): the browser tests will skip"; \
	  fi; }

lint: $(STAMP)
	$(BIN)/ruff check rules_engine tests benchmarks
	$(BIN)/ruff format --check rules_engine tests benchmarks
	$(BIN)/lint-imports

types: $(STAMP)
	$(BIN)/mypy

check: lint types test

fmt: $(STAMP)
	$(BIN)/ruff format rules_engine tests benchmarks
	$(BIN)/ruff check --fix rules_engine tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/verify_cpu.py
	$(BIN)/python benchmarks/check_applies.py

errors-doc: $(STAMP)
	$(BIN)/python tests/update_errors_doc.py

# After editing a grammar in grammar/: rewrite its prebuilt parse tables (tests fail until then).
grammars: $(STAMP)
	$(BIN)/python tests/update_grammar_tables.py

# After editing a grammar, a shipped policy or the policy compiler: rewrite the parse tables and
# the compiled snapshots of the shipped policies (policies/compiled/; tests fail until then).
prebuilt: grammars
	$(BIN)/python tests/update_policy_snapshots.py

schemas: $(STAMP)
	$(BIN)/rules-engine schema form > docs/schemas/form.schema.json
	$(BIN)/rules-engine schema explain > docs/schemas/explain.schema.json

corpus: $(STAMP)
	$(BIN)/python benchmarks/corpus_phrases.py --speed
	$(BIN)/python benchmarks/corpus_forms.py
	$(BIN)/python benchmarks/corpus_review.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache .import_linter_cache
