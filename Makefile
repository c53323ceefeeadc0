# asielketen-kg: `make run` builds and checks the graph and writes the reports under
# build/; `make test` runs the tests, ruff and mypy (over kg and tests). Both create .venv
# first if needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KG := $(BIN)/kg
STAMP := $(VENV)/.kg-installed
BUILD ?= build

.PHONY: venv run test lint bench load-test clean

venv: $(STAMP)

# Reinstall only when the package definition changes; the stamp keeps `make` fast.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# One line an output; later commands append their own line before the final echo.
run: venv
	mkdir -p $(BUILD)
	$(KG) build
	$(KG) check
	$(KG) contradictions --format md > $(BUILD)/contradictions.md.tmp && mv $(BUILD)/contradictions.md.tmp $(BUILD)/contradictions.md
	$(KG) contradictions --format json > $(BUILD)/contradictions.json.tmp && mv $(BUILD)/contradictions.json.tmp $(BUILD)/contradictions.json
	$(KG) export --format all
	$(KG) export --site $(BUILD)/site
	$(KG) viz --out $(BUILD)/graph.html
	$(KG) viz --view contradictions --out $(BUILD)/contradictions.html
	@echo "outputs in $(BUILD)/:" && ls -1 $(BUILD)

test: venv
	$(BIN)/pytest -n 2 -q
	$(MAKE) lint

lint: venv
	$(BIN)/ruff check kg tests
	$(BIN)/mypy kg tests

bench: venv
	@if [ -f benchmarks/run.py ]; then $(BIN)/python benchmarks/run.py; \
	else echo "benchmarks/run.py does not exist yet"; fi

# 20 clients for 20 s against kg serve on 127.0.0.1 (see benchmarks/README.md, Load test).
load-test: venv
	$(BIN)/python benchmarks/load_test.py --save

clean:
	rm -rf $(BUILD) .pytest_cache .mypy_cache .ruff_cache
