# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Every link the site prints or mails (Wagtail's review emails, the tasks' emails, the default
# Site) opens the address `make run` serves.
export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test install lock mutation chromium redis varnish lint format check clean bench production-check backup restore

# Installed from the versions of constraints.txt (CI too): a new release of a dependency
# reaches the site only through `make lock`, which resolves the ranges of pyproject.toml
# afresh in a scratch environment and writes the versions it got.
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e ".[dev]"
	( echo "# Versions installed by make (pip -c). Refresh: make lock (docs/exploitation.md)."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable | LC_ALL=C sort -f ) > constraints.txt
	rm -rf .lock-venv

# Our French wording over Wagtail's: the .mo that Django reads is built from the .po.
MO := collectif/locale/fr/LC_MESSAGES/django.mo
$(MO): $(MO:.mo=.po) $(VENV)/.installed
	$(PY) manage.py compile_translations

install: $(VENV)/.installed $(MO)

run: install
	$(PY) manage.py migrate --noinput
	@# Before the demo content, which prints the parties' private links.
	$(PY) manage.py set_site_address
	$(PY) manage.py load_demo_content
	$(PY) manage.py create_demo_admin
	@# The task worker sends the emails; the scheduler publishes scheduled pages. Both stop
	@# with the server.
	@$(PY) manage.py db_worker --interval 2 --no-startup-delay & worker=$$!; \
	$(PY) manage.py run_scheduler --interval 60 >/dev/null & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Browser tests need Debian's Chromium; install it when it is missing (as root only).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installation de chromium (Debian)…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium manque : sudo apt-get install chromium" >&2; exit 1; \
	  fi; \
	fi

# The tests keep rate limits in Redis (REDIS_URL, default redis://127.0.0.1:6379/0): start
# Debian's redis-server when nothing answers there (as root only).
redis: install
	@if ! $(PY) -c "import os, redis; redis.Redis.from_url(os.environ.get('REDIS_URL', 'redis://127.0.0.1:6379/0')).ping()" 2>/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Démarrage de redis-server (Debian)…"; \
	    command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null); \
	    redis-server --daemonize yes --save "" --appendonly no >/dev/null; sleep 1; \
	  else \
	    echo "Redis ne répond pas : sudo apt-get install redis-server, ou REDIS_URL=…" >&2; exit 1; \
	  fi; \
	fi

# The production check needs Debian's Varnish, wrk (the load client) and the PostgreSQL
# client (psql; pg_dump for backups); install them when missing (as root only).
varnish:
	@if ! command -v varnishd >/dev/null || ! command -v wrk >/dev/null || ! command -v psql >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installation de varnish, wrk et postgresql-client (Debian)…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish wrk postgresql-client >/dev/null; \
	  else \
	    echo "varnish, wrk ou psql manque : sudo apt-get install varnish wrk postgresql-client" >&2; exit 1; \
	  fi; \
	fi

# Varnish, two gunicorn app servers and two task workers on loopback, on a scratch PostgreSQL
# database (CHECK_DATABASE_ADMIN_URL: a role that may create it) and Redis; checks and load
# figures (docs/performance.md). Stops everything it started.
production-check: install redis varnish
	PY="$(PY)" deploy/production-check.sh

# The database (pg_dump) and MEDIA_ROOT, dated, in BACKUP_DIR (default backups/), keeping the
# BACKUP_KEEP newest (14). Restore: make restore BACKUP=backups/collectif-….dump (into
# DATABASE_URL, MEDIA_ROOT). docs/exploitation.md.
backup:
	deploy/backup.sh

restore:
	deploy/restore.sh "$(BACKUP)"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	DJANGO_SETTINGS_MODULE=collectif.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=collectif.settings.test $(PY) manage.py makemigrations --check --dry-run

# The test database is kept between runs on a developer's machine (only new migrations are
# applied); CI (CI=true) builds a new one.
REUSE_DB := $(if $(CI),--create-db,--reuse-db)

test: install chromium redis lint check
	$(PY) -m pytest $(REUSE_DB) $(PYTEST_ARGS)

# Requests per second of the site under gunicorn with the production settings (PostgreSQL
# and Redis, as on the servers); figures in test-results/bench.md.
bench: install redis varnish
	$(PY) bench/run.py

# Mutation testing of a module against its tests (mutmut, in a scratch copy of the tree):
# make mutation MODULE=campaigns/answers.py TESTS="tests/campaigns/test_answers.py"
mutation: install redis
	bench/mutation.sh

clean:
	rm -rf $(VENV) test-results *.egg-info
