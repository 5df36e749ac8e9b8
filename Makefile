# 通报生成：make bulletin QUARTER=2024Q1 生成通报；make test 运行测试。
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
QUARTER ?= 2024Q1
PERIOD ?= $(QUARTER)

.PHONY: bulletin pdf preview check validate test bench bench-scale template clean

$(BIN)/bulletin: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

bulletin: $(BIN)/bulletin  ## build outputs/$(PERIOD)/… .docx from inputs/$(PERIOD)/, then check its format
	$(BIN)/bulletin build --period $(PERIOD) --check

pdf: $(BIN)/bulletin  ## build, check, and convert to PDF with LibreOffice (free stand-in fonts)
	$(BIN)/bulletin build --period $(PERIOD) --check --pdf

preview: $(BIN)/bulletin  ## as pdf, plus PNG pages in outputs/$(PERIOD)/preview/
	$(BIN)/bulletin build --period $(PERIOD) --check --preview

check: $(BIN)/bulletin  ## check the format of the built outputs/$(PERIOD)/*.docx (GB/T 9704-2012)
	$(BIN)/bulletin check $$(ls outputs/$(PERIOD)/*.docx | grep -v _修改稿_)

validate: $(BIN)/bulletin  ## check inputs/$(PERIOD)/ without writing anything
	$(BIN)/bulletin validate --period $(PERIOD)

test: $(BIN)/bulletin  ## run the test suite
	$(BIN)/python -m pytest

bench: $(BIN)/bulletin  ## time a build against the cost of importing its libraries
	$(BIN)/python bench/bench_build.py --period $(PERIOD)

bench-scale: $(BIN)/bulletin  ## 好差评 build on 10,000,000 generated records (CSV, Parquet) against a hand-written DuckDB query; 1,000 small bulletins in one process
	$(BIN)/python bench/bench_scale.py --parquet --batch 1000

template: $(BIN)/bulletin  ## rebuild the Word templates of the bulletin kinds
	$(BIN)/bulletin make-template templates/assessment/bulletin.docx
	$(BIN)/bulletin make-template templates/haochaping/bulletin.docx

clean:
	rm -rf $(VENV) outputs/*/
