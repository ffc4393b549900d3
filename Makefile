# Two commands set everything up: `make demo` and `make test` create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

SERVE_ARGS ?=

.PHONY: demo serve test lint typecheck check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,web,dask]'
	touch $(STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(BIN)/jixiao score sheets/shaoguan-2023-kexie.xlsx -o out/shaoguan-2023-result.xlsx --force
	@echo
	@echo "结果工作簿 (result workbook): out/shaoguan-2023-result.xlsx"
	@$(BIN)/jixiao report sheets/shaoguan-2023-kexie.xlsx -o out/shaoguan-2023-report.docx --force 2>/dev/null
	@echo "自评报告评分部分 (report section): out/shaoguan-2023-report.docx"

# The web app at http://127.0.0.1:8000 (data in ./jixiao-data unless JIXIAO_DATA or --data says otherwise).
serve: $(STAMP)
	$(BIN)/jixiao serve $(SERVE_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

# Every row of issue 15's table as a ratio against a baseline timed in the same run (data in
# bench/data/, git-ignored). BENCH_ARGS="--runs 5 --n 1000" for more; nothing is asserted.
bench: $(STAMP)
	$(BIN)/python bench/suite.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
