# 通报生成：make bulletin QUARTER=2024Q1 生成通报；make test 运行测试。
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
QUARTER ?= 2024Q1
PERIOD ?= $(QUARTER)

LOCK := requirements.lock
UV := uv==0.13.9

.PHONY: bulletin pdf preview check validate test fuzz ci new-period bench bench-scale template schema lock clean

# the versions pinned in $(LOCK) (the same on Python 3.10–3.13), then the project itself
$(BIN)/bulletin: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

bulletin: $(BIN)/bulletin  ## build outputs/$(PERIOD)/… .docx from inputs/$(PERIOD)/, then check its format
	$(BIN)/bulletin build --period $(PERIOD) --check

pdf: $(BIN)/bulletin  ## build, check, and convert to PDF with LibreOffice (free stand-in fonts)
	$(BIN)/bulletin build --period $(PERIOD) --check --pdf

preview: $(BIN)/bulletin  ## as pdf, plus PNG pages in outputs/$(PERIOD)/preview/
	$(BIN)/bulletin build --period $(PERIOD) --check --preview

check: $(BIN)/bulletin  ## check the format of the built outputs/$(PERIOD)/*.docx (GB/T 9704-2012)
	$(BIN)/bulletin check --period $(PERIOD)

validate: $(BIN)/bulletin  ## check inputs/$(PERIOD)/ without writing anything
	$(BIN)/bulletin validate --period $(PERIOD)

test: $(BIN)/bulletin  ## run the test suite
	$(BIN)/python -m pytest

ci: $(BIN)/bulletin  ## build and check the periods whose inputs changed since SINCE (default HEAD~1), as CI does
	$(BIN)/bulletin ci --since $(or $(SINCE),HEAD~1)

new-period: $(BIN)/bulletin  ## start inputs/$(PERIOD)/ from inputs/$(FROM)/ and list what to fill in
	$(BIN)/bulletin new-period $(PERIOD) --from $(FROM)

fuzz: $(BIN)/bulletin  ## the input, Word-file and configuration fuzzers at length (2,000 new cases each; make test runs 30)
	BULLETIN_FUZZ_EXAMPLES=$${BULLETIN_FUZZ_EXAMPLES:-2000} $(BIN)/python -m pytest tests/test_fuzz_workbooks.py tests/test_fuzz_word_files.py tests/test_fuzz_configuration.py --hypothesis-show-statistics

bench: $(BIN)/bulletin  ## time a build against the cost of importing its libraries
	$(BIN)/python bench/bench_build.py --period $(PERIOD)

bench-scale: $(BIN)/bulletin  ## 好差评 build on 10,000,000 generated records (CSV, CSV with case ids in no order, Parquet) against hand-written DuckDB peers (the checked peer, the bare query); 1,000 small bulletins in one process; 100 county bulletins from one shared table
	$(BIN)/python bench/bench_scale.py --parquet --shuffled --batch 1000 --offices 100

template: $(BIN)/bulletin  ## rebuild the Word templates of the bulletin kinds
	$(BIN)/bulletin make-template templates/assessment/bulletin.docx
	$(BIN)/bulletin make-template templates/haochaping/bulletin.docx
	$(BIN)/bulletin make-template templates/annual/bulletin.docx

schema: $(BIN)/bulletin  ## regenerate schemas/bulletin-config.schema.json and docs/configuration.md from the declared settings
	$(BIN)/bulletin schema

lock:  ## re-pin every dependency of pyproject.toml into $(LOCK) (after adding or changing one)
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet $(UV)
	.venv-lock/bin/uv pip compile pyproject.toml --extra test --universal --python-version 3.10 \
		--fork-strategy fewest -o $(LOCK)

clean:
	rm -rf $(VENV) outputs/*/
