#!/usr/bin/env bash
# make production-check: the site as it runs in production, on loopback — Varnish in front of
# two gunicorn app servers sharing a scratch PostgreSQL database and Redis, with two task
# workers — then deploy/production_check.py checks it under load. Everything started here is
# stopped, and the scratch database dropped, whatever happens (trap).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

PY=${PY:-$root/.venv/bin/python}
bin=$(dirname "$PY")
# A PostgreSQL role that may create databases; the scratch one is made beside its database.
admin_url=${CHECK_DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
redis_url=${CHECK_REDIS_URL:-${REDIS_URL:-redis://127.0.0.1:6379/0}}

work=$(mktemp -d /tmp/collectif-check.XXXXXX)
chmod 755 "$work"
db="collectif_check_$$"
pids=()

cleanup() {
  status=$?
  # Every step of the cleanup runs, whatever fails before it.
  set +e
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  if [ "$status" != 0 ]; then
    echo "== Échec : fin des journaux ==" >&2
    for log in "$work"/*.log; do
      [ -f "$log" ] && { echo "--- $(basename "$log")" >&2; tail -n 15 "$log" >&2; }
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

read -r proxy_port app1_port app2_port < <("$PY" -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks:
    s.close()
')

psql "$admin_url" -qc "CREATE DATABASE $db" >/dev/null

export DJANGO_SETTINGS_MODULE=collectif.settings.production
export SECRET_KEY="check-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(40))')"
export DATABASE_URL="${admin_url%/*}/$db"
export REDIS_URL="$redis_url"
export CACHE_KEY_PREFIX="check-$$-$(date +%s)"
export ALLOWED_HOSTS=127.0.0.1,localhost
export CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$proxy_port,http://127.0.0.1:$app1_port,http://127.0.0.1:$app2_port"
export SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0
export WAGTAILADMIN_BASE_URL="http://127.0.0.1:$proxy_port"
export DEFAULT_FROM_EMAIL="Collectif petite enfance <bonjour@collectif.example>"
export FRONTEND_CACHE_URL="http://127.0.0.1:$proxy_port"
export CLIENT_IP_HEADER=HTTP_X_REAL_IP
export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
export EMAIL_FILE_PATH="$work/mail"
export MEDIA_ROOT="$work/media" STATIC_ROOT="$work/static"
export LOG_FORMAT=json LOG_LEVEL=WARNING
export WEB_CONCURRENCY=${CHECK_WEB_CONCURRENCY:-2} GUNICORN_THREADS=8

echo "== Base $db, Redis $REDIS_URL, Varnish :$proxy_port, gunicorn :$app1_port et :$app2_port =="
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py collectstatic --noinput -v 0
"$PY" manage.py load_demo_content >"$work/demo.log"

for n in 1 2; do
  port_var="app${n}_port"
  GUNICORN_BIND="127.0.0.1:${!port_var}" GUNICORN_ACCESS_LOG="$work/app$n-access.log" \
    "$bin/gunicorn" -c gunicorn.conf.py --control-socket "$work/app$n.ctl" >"$work/app$n.log" 2>&1 &
  pids+=($!)
  "$PY" manage.py db_worker --interval 0.2 --no-startup-delay >"$work/worker$n.log" 2>&1 &
  pids+=($!)
done

sed -e "s/\"8000\"/\"$app1_port\"/" -e "s/\"8001\"/\"$app2_port\"/" \
  deploy/varnish/collectif.vcl >"$work/collectif.vcl"
varnishd -F -n "$work/varnish" -a "127.0.0.1:$proxy_port" -f "$work/collectif.vcl" \
  -s malloc,256m -p thread_pool_min=50 >"$work/varnish.log" 2>&1 &
pids+=($!)

CHECK_WORK="$work" CHECK_PROXY_PORT="$proxy_port" CHECK_APP_PORTS="$app1_port,$app2_port" \
  "$PY" deploy/production_check.py "$@"
