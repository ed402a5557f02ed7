# The README's two commands are `make demo` and `make test`; both set everything up.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install generate check-generated lint lint-imports typecheck verifytypes pytest test demo bench bench-instructions soak fuzz-seeds mutate clean docs docs-build

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

generate: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python scripts/generate.py
	$(BIN)/python scripts/unasync.py
	$(BIN)/python scripts/generate_raw_response.py
	$(BIN)/python scripts/generate_async_resources.py
	$(BIN)/python scripts/generate_async_client_doc.py

# generated/ from spec/, and the facade's derived code: async twins of the resource methods
# (scripts/unasync.py), the AsyncQwen facades, the with_raw_response twins and AsyncQwen's Args docstring.
check-generated: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python scripts/generate.py --check
	$(BIN)/python scripts/unasync.py --check
	$(BIN)/python scripts/generate_async_resources.py --check
	$(BIN)/python scripts/generate_raw_response.py --check
	$(BIN)/python scripts/generate_async_client_doc.py --check

lint: install
	$(BIN)/ruff check qwen_api generated tests scripts examples
	$(BIN)/ruff format --check qwen_api generated tests scripts examples

typecheck: install
	$(BIN)/mypy

# The layers of docs/architecture.md as import-linter contracts (.importlinter).
lint-imports: install
	$(BIN)/lint-imports

# Every symbol qwen_api exports has a known type (pyright's --verifytypes, 100 % or it fails).
# --ignoreexternal: without it the score is 92.9 %, and every symbol short of known is so through a
# dependency's own unannotated attributes: httpx.Client/AsyncClient (Qwen(http_client=...): Response,
# Request and Cookies assign attributes without annotations), starlette Request/Response and
# prometheus_client's Timer (the gateway, the local server), uvicorn.Server/Config, pytest's fixture
# decorator (qwen_server) and llama_index's LLM (pydantic).
verifytypes: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/basedpyright --verifytypes qwen_api --ignoreexternal

# Hypothesis draws its examples from a seed named after the commit under test: a given commit passes
# or fails the same way on every machine (the fresh clone CI runs included), while each new commit
# explores new examples. `make fuzz-seeds` adds three fixed seeds; HYPOTHESIS_SEED=... overrides.
HYPOTHESIS_SEED ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo 20261206)
pytest: install
	$(BIN)/pytest --cov --cov-report=term:skip-covered --hypothesis-seed=$(HYPOTHESIS_SEED)

test: install check-generated lint lint-imports typecheck verifytypes docs-build pytest

# The documentation site (mkdocs.yml): `make docs` serves it with live reload, `make docs-build`
# builds it into .site/ (git-ignored) and fails on any warning (no --quiet: a warning is always shown).
docs: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

docs-build: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

demo: install
	$(BIN)/python scripts/demo.py

bench: install
	$(BIN)/python scripts/bench.py

# The same work counted in instructions (valgrind's callgrind): does not move with the host's load.
bench-instructions: install
	$(BIN)/python scripts/bench/instructions.py

soak: install
	QWEN_SOAK_SECONDS=60 $(BIN)/pytest tests/reliability -k soak

# The property-based tests, three times with different seeds (make test seeds them with the commit).
FUZZ_TESTS := tests/reliability/test_fuzz.py tests/unit/test_sse.py tests/unit/test_stream_parser.py \
	tests/unit/test_errors.py tests/upload/test_oss_signing.py tests/tools/test_parser_corpus.py
fuzz-seeds: install
	for seed in 1 20261125 987654321; do $(BIN)/pytest -q -p no:cacheprovider --hypothesis-seed=$$seed $(FUZZ_TESTS) || exit 1; done

# Mutation testing of the core (docs/testing.md); slow, so not part of `make test`. MODULE=_sse runs one module.
MODULE ?=
mutate: install
	$(BIN)/python -m pip install --quiet -e '.[dev,mutation]'
	$(BIN)/python scripts/mutate.py $(if $(MODULE),--module $(MODULE))

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .mutate

# Maintainers: validate a browser HAR export of chat.qwen.ai against this repository's spec/ (sends
# nothing): make spec-check HAR=session.har [FIXTURES=tests/fixtures/captured] (see docs/contributing.md)
.PHONY: spec-check
spec-check: install
	@test -n "$(HAR)" || { echo "usage: make spec-check HAR=FILE [FIXTURES=DIR]" >&2; exit 2; }
	$(BIN)/qwen doctor --har "$(HAR)" --spec spec/qwen-chat.openapi.yaml $(if $(FIXTURES),--fixtures "$(FIXTURES)")
