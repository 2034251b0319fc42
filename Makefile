# Everything a fresh machine with Python 3.11 needs: `make run`, `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
STATIC := survey_app/static/govuk
MO := locales/cy/LC_MESSAGES/messages.mo

.PHONY: install run test bench ci-services translations extract-messages assets clean

install: $(VENV)/.installed node_modules/.installed $(STATIC)/.built $(MO)

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(STATIC)/.built: node_modules/.installed
	rm -rf $(STATIC) && mkdir -p $(STATIC)
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css $(STATIC)/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(STATIC)/
	cp -r node_modules/govuk-frontend/dist/govuk/assets $(STATIC)/assets
	touch $@

$(MO): locales/cy/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d locales -D messages

# Re-extract interface strings and merge them into the catalogues (then translate cy).
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -k lazy_gettext -o locales/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i locales/messages.pot -d locales -D messages

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo --seed
	$(BIN)/flask dev

test: install
	$(BIN)/python -m pytest

# Benchmarks: figures go into bench/RESULTS.md; never part of the test suite.
bench: install
	$(BIN)/python bench/score_100k.py

clean:
	rm -rf $(VENV) node_modules $(STATIC) $(MO) instance
