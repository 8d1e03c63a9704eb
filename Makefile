# CCUS Vault: `make run` starts the product, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The web server's port; honcho hands it to the first process of the Procfile (web).
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint format bench bench-large load migrate messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

.env:
	$(BIN)/python scripts/make_env.py .env

run: $(VENV)/.runtime | $(BIN)/python
	@$(MAKE) --no-print-directory .env
	mkdir -p var
	$(BIN)/python manage.py migrate_keys
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	PORT=$(PORT) $(BIN)/python manage.py seed_demo
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start --port $(PORT)

test: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/pytest

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.dev
	mkdir -p var
	for bench in $(filter-out bench/load.py,$(wildcard bench/*.py)); do echo "== $$bench"; $(BIN)/python $$bench || exit 1; done

# The sizes of the scale targets, on PostgreSQL (DATABASE_URL must name it).
bench-large: $(VENV)/.dev
	mkdir -p var
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "bench-large needs DATABASE_URL=postgres://..."; exit 1;; esac
	for bench in $(filter-out bench/load.py,$(wildcard bench/*.py)); do echo "== $$bench"; $(BIN)/python $$bench --scale large || exit 1; done

# Needs DATABASE_URL (PostgreSQL); installs wrk with apt when it is missing.
load: $(VENV)/.dev
	mkdir -p var
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python bench/load.py

messages: $(VENV)/.dev
	$(BIN)/python manage.py makemessages --locale ja --no-obsolete --add-location file --ignore ".venv/*" --ignore "tests/*" --ignore "bench/*"
	$(BIN)/python manage.py compilemessages --locale ja --ignore ".venv/*"

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
