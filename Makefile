# Everything a fresh machine with Python 3.11 needs: `make run`, `make test`.
PYTHON ?= python3.11
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
STATIC := survey_app/static/govuk
MO := locales/cy/LC_MESSAGES/messages.mo
ERROR_PAGES := survey_app/static/errors

.PHONY: install run test system-packages bench bench-quick bench-compare faults faults-quick cluster cluster-quick extract-messages clean assets

install: $(VENV)/.installed node_modules/.installed $(STATIC)/.built $(MO) $(ERROR_PAGES)/.built

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# GOV.UK Frontend's Sass in the system font (GDS Transport and the crown are for GOV.UK only).
# Each survey_app/assets/NAME.scss (not _partials) becomes $(STATIC)/NAME.css.
STYLESHEETS := $(filter-out survey_app/assets/_%,$(wildcard survey_app/assets/*.scss))
$(STATIC)/.built: node_modules/.installed $(wildcard survey_app/assets/*.scss)
	rm -rf $(STATIC) && mkdir -p $(STATIC)
	node_modules/.bin/sass --style=compressed --no-source-map --quiet-deps --load-path=node_modules \
		$(foreach f,$(STYLESHEETS),$(f):$(STATIC)/$(notdir $(f:.scss=.css)))
	touch $@

# The pages nginx shows for its own errors (deploy/nginx.conf), in Welsh and English, from
# the app's templates and catalogue; they link the stylesheets by version, so after them.
$(ERROR_PAGES)/.built: $(STATIC)/.built $(MO) $(VENV)/.installed survey_app/error_pages.py survey_app/i18n.py \
		survey_app/templates/base.html survey_app/templates/error.html
	$(BIN)/python -m survey_app.error_pages $(ERROR_PAGES)
	touch $@

assets: $(STATIC)/.built $(ERROR_PAGES)/.built

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

# Debian's Chromium (browser tests; never a downloaded browser), LibreOffice Calc (the
# spreadsheet round trip) and nginx (the README's reverse proxy, in tests/deploy and the
# fault suite). Installed when missing and we may; otherwise say how.
# The PDF report (survey_app/dashboard/pdf.py): WeasyPrint lays text out with Debian's Pango
# and HarfBuzz, in Liberation Sans (fonts-liberation2, which has every Welsh letter: â ŵ ŷ);
# the tests read the PDF back with poppler-utils' pdftotext and pdffonts.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 poppler-utils
system-packages:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v libreoffice >/dev/null 2>&1 || \
	    [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get install -y -q chromium libreoffice-calc-nogui nginx >/dev/null 2>&1 || \
	      { apt-get update -q >/dev/null && apt-get install -y -q chromium libreoffice-calc-nogui nginx >/dev/null; }; \
	  else \
	    echo "Browser, spreadsheet and proxy tests need Debian's chromium, libreoffice-calc-nogui and nginx:"; \
	    echo "  sudo apt-get install chromium libreoffice-calc-nogui nginx"; \
	  fi; \
	fi
	@if ! dpkg -s $(PDF_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get install -y -q $(PDF_PACKAGES) >/dev/null 2>&1 || \
	      { apt-get update -q >/dev/null && apt-get install -y -q $(PDF_PACKAGES) >/dev/null; }; \
	  else \
	    echo "The PDF report and its tests need Debian's $(PDF_PACKAGES):"; \
	    echo "  sudo apt-get install $(PDF_PACKAGES)"; \
	  fi; \
	fi

test: install system-packages
	$(BIN)/python -m pytest

# Every benchmark at full size (about 20 minutes), then the tiny version CI runs.
bench: install
	$(BIN)/python -m bench.run

bench-quick: install
	$(BIN)/python -m bench.run --quick

# The journey, a scheduler pass and the exports before and after issue 17's change, in one
# run against the commit before it, checked out in a temporary worktree (bench/before_after.py).
bench-compare: install
	$(BIN)/python -m bench.before_after

# The fault suite (bench/faults/README.md): gunicorn behind nginx on PostgreSQL, attacked
# and broken on purpose; a table of what clients, the database and a mail server saw.
# Full (a few minutes), then the short version CI runs (with CI=true it fails on answers
# lost or doubled, emails doubled or bare 500s).
faults: install system-packages
	$(BIN)/python -m bench.faults

faults-quick: install system-packages
	$(BIN)/python -m bench.faults --quick

# Several hosts on this one machine (network namespaces; needs root): web hosts behind nginx,
# two schedulers, one PostgreSQL, a mail host; bench/cluster/README.md. The quick one runs in CI.
cluster: install system-packages
	$(BIN)/python -m bench.cluster

cluster-quick: install system-packages
	$(BIN)/python -m bench.cluster --quick

clean:
	rm -rf $(VENV) node_modules $(STATIC) $(ERROR_PAGES) $(MO) instance
