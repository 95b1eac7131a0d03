# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test setup deps assets migrate demo lint format messages lock worker clean

# The background worker (letters for a whole round) runs beside the web server and
# stops with it. --no-reload: with DEBUG on, db_worker otherwise runs under Django's
# auto-reloader, so $! is the reloader, which SIGKILLs the real worker mid-letter when
# stopped (and restarts it on every code change). Without it, $! is the worker: one
# signal lets it finish the task in hand, a second stops it at once.
run: setup demo
	@$(PY) manage.py demo_logins
	@$(PY) manage.py db_worker --interval 1 --no-reload & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production app server (gunicorn, gthread workers sized from the cores: see
# gunicorn.conf.py). Static files are collected once and served by WhiteNoise. Run the
# background worker beside it (`make worker`, on this or another machine). In
# production set DJANGO_ENV=production, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
serve: setup
	$(PY) manage.py collectstatic --no-input --verbosity 0
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py tilskudd.wsgi:application

worker: setup
	$(PY) manage.py db_worker

test: deps assets
	@./scripts/ensure-chromium
	@./scripts/ensure-libreoffice
	@./scripts/ensure-poppler
	$(BIN)/pytest $(PYTEST_ARGS)

setup: deps assets migrate

# Locked install: every package pinned with hashes in requirements.lock.
deps: $(VENV)/.installed
$(VENV)/.installed: requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

# Front-end assets from the npm registry, exactly as package-lock.json says.
assets: node_modules/.installed
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: deps
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_reference_data

demo: migrate
	$(PY) manage.py load_demo

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the translation catalogues after marking new strings, then compile them.
messages: deps
	cd tilskudd && ../$(PY) ../manage.py makemessages -l nb -l nn --no-obsolete --no-location
	cd tilskudd && ../$(PY) ../manage.py compilemessages

# Regenerate the lock file after changing pyproject.toml (needs network to PyPI).
lock:
	$(PYTHON) -m pip install --quiet uv && $(PYTHON) -m uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) node_modules var staticfiles
