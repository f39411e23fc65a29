# Two commands do all the set-up on a fresh machine:
#   make run   - virtualenv, install, migrate, demo data, serve on http://127.0.0.1:5000
#                with the worker beside it (e-mail and SMS printed to this console)
#   make test  - install test tools, then ruff, mypy, migration check and pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in e-mails and BankID's return address follow the port unless PUBLIC_URL is given.
PUBLIC_URL ?= http://$(HOST):$(PORT)

.PHONY: run test system-packages browser-tools bench-tools lint typecheck migrations-check dependency-audit pytest install install-dev clean translations screenshots design-system

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: system-packages $(VENV)/.runtime
install-dev: system-packages $(VENV)/.dev

# The certificate PDF is laid out by WeasyPrint, which needs Debian's pango and a font with
# Swedish letters; the tests read PDFs back with poppler (pdftotext) and check them with qpdf, and
# verify the XML seal with xmlsec1 (a validator we did not write).
system-packages:
	@(ldconfig -p | grep -q libpangoft2-1.0 && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
		&& command -v pdftotext >/dev/null && command -v qpdf >/dev/null \
		&& command -v xmlsec1 >/dev/null) || \
		(apt-get update && apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
		poppler-utils qpdf xmlsec1) || \
		echo "WARNING: could not install pango, DejaVu fonts, poppler-utils, qpdf and xmlsec1 (needs root)"

run: export PUBLIC_URL := $(PUBLIC_URL)
run: install
	$(FLASK) db upgrade
	$(FLASK) reference-data
	$(FLASK) demo
	$(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev browser-tools lint typecheck migrations-check dependency-audit pytest

# The browser tests drive Debian's chromium (never a downloaded one) and inject axe-core from npm.
browser-tools:
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium) || \
		echo "WARNING: could not install Debian's chromium (needs root); the browser tests will skip"
	npm ci --no-audit --no-fund

# The HTTP load generator of bench/api.py (Debian's wrk).
bench-tools:
	@command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk) || \
		echo "WARNING: could not install Debian's wrk (needs root); bench/api.py needs it"

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy app schemas signing payroll_adapters tests bench wsgi.py gunicorn.conf.py

# Builds a scratch database from the migrations and checks that the models agree with them.
migrations-check:
	@scratch=$$(mktemp -d); \
	url=$${TEST_DATABASE_URL:-sqlite:///$$scratch/check.db}; \
	DATABASE_URL=$$url $(BIN)/python -m tests.support.reset_database && \
	DATABASE_URL=$$url $(FLASK) db upgrade && \
	DATABASE_URL=$$url $(FLASK) db check; \
	status=$$?; rm -rf $$scratch; exit $$status

# Known vulnerabilities in every pinned requirement, from PyPI's advisory data. A machine that
# cannot reach PyPI skips this check with a message and runs the rest.
PYPI_PROBE := import urllib.request; urllib.request.urlopen('https://pypi.org/pypi/pip-audit/json', timeout=10)
dependency-audit:
	@if $(BIN)/python -c "$(PYPI_PROBE)" 2>/dev/null; then \
		$(BIN)/pip-audit --disable-pip --no-deps --progress-spinner off \
			-r requirements.txt -r requirements-dev.txt; \
	else \
		echo "dependency-audit: SKIPPED - PyPI's vulnerability data (https://pypi.org) cannot be reached"; \
	fi

pytest:
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Retakes the README's screenshots of the main pages (the browser tests take them).
screenshots: install-dev browser-tools
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest -m browser

# Collects the Swedish message ids from code and templates into the English catalogue.
translations: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o $(VENV)/messages.pot --no-location --omit-header .
	$(BIN)/pybabel update -i $(VENV)/messages.pot -d app/translations -l en --no-fuzzy-matching --width 100

# Rebuilds the vendored design system (app/web/static/govuk/) from design/: govuk-frontend with our
# typeface and colours (docs/design-system.md). The built files are checked in: running or testing
# the app never needs this.
design-system:
	npm ci --prefix design --no-audit --no-fund
	design/node_modules/.bin/sass --no-source-map --style=compressed \
		--load-path=design/node_modules/govuk-frontend/dist design/intyga.scss app/web/static/govuk/govuk-frontend.min.css
	sed 's,//# sourceMappingURL=.*,,' design/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js \
		> app/web/static/govuk/govuk-frontend.min.js
