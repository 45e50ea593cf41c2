#!/usr/bin/env bash
# make production-check: the site as it runs in production, on loopback — Varnish in front of
# two gunicorn app servers sharing a scratch PostgreSQL database and Redis, with two task
# workers — then deploy/production_check.py checks it under load. Then the chaos phase
# (deploy/chaos_check.py) does it again on a PostgreSQL cluster and a Redis of its own, on other
# ports, and breaks them under load. CHECK_ONLY=chaos runs only the chaos phase, CHECK_ONLY=main
# only the first. Everything started here is stopped, and the scratch database dropped,
# whatever happens (trap).
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
only=${CHECK_ONLY:-all}
chaos="$work/chaos"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

# The chaos phase's PostgreSQL refuses to run as root: as postgres, then.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  status=$?
  # Every step of the cleanup runs, whatever fails before it.
  set +e
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  # The chaos phase: its processes (each in its own group), its Redis, its cluster.
  if [ -f "$chaos/pids" ]; then
    while read -r pid; do kill -KILL -- "-$pid" 2>/dev/null || true; done <"$chaos/pids"
  fi
  [ -n "${chaos_redis_port:-}" ] && redis-cli -p "$chaos_redis_port" shutdown nosave >/dev/null 2>&1
  [ -f "$chaos/pg/postmaster.pid" ] && as_postgres "$pg_bin/pg_ctl" -D "$chaos/pg" -m immediate stop >/dev/null 2>&1
  if [ "$status" != 0 ]; then
    echo "== Échec : fin des journaux ==" >&2
    for log in "$work"/*.log "$chaos"/*.log; do
      [ -f "$log" ] && { echo "--- $(basename "$log")" >&2; tail -n 15 "$log" >&2; }
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

read -r proxy_port app1_port app2_port chaos_pg_port chaos_redis_port chaos_proxy_port \
  chaos_app1_port chaos_app2_port < <("$PY" -c '
import socket
socks = [socket.socket() for _ in range(8)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks:
    s.close()
')

[ "$only" = chaos ] || psql "$admin_url" -qc "CREATE DATABASE $db" >/dev/null

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

"$PY" manage.py collectstatic --noinput -v 0
if [ "$only" != chaos ]; then
echo "== Base $db, Redis $REDIS_URL, Varnish :$proxy_port, gunicorn :$app1_port et :$app2_port =="
"$PY" manage.py migrate --noinput -v 0
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
for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
pids=()
fi

[ "$only" = main ] && exit 0
# The chaos phase: a PostgreSQL cluster and a Redis of its own (never the machine's), the same
# topology on them, broken under load by deploy/chaos_check.py.
mkdir -p "$chaos/pg"
chmod 755 "$chaos"
[ "$(id -u)" = 0 ] && chown postgres "$chaos/pg"
as_postgres "$pg_bin/initdb" -D "$chaos/pg" -A trust -U postgres --no-sync >"$chaos/initdb.log"
as_postgres "$pg_bin/pg_ctl" -D "$chaos/pg" -l "$chaos/pg/server.log" -w \
  -o "-p $chaos_pg_port -c listen_addresses=127.0.0.1 -k $chaos/pg -c fsync=off" start >/dev/null
redis-server --port "$chaos_redis_port" --bind 127.0.0.1 --save "" --appendonly no \
  --daemonize yes --dir "$chaos" >/dev/null
# The cluster keeps its port and options when the chaos phase restarts it.
echo "port = $chaos_pg_port" >>"$chaos/pg/postgresql.conf"
echo "unix_socket_directories = '$chaos/pg'" >>"$chaos/pg/postgresql.conf"
echo "fsync = off" >>"$chaos/pg/postgresql.conf"
psql "postgres://postgres@127.0.0.1:$chaos_pg_port/postgres" -qc "CREATE DATABASE collectif" >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:$chaos_pg_port/collectif"
export REDIS_URL="redis://127.0.0.1:$chaos_redis_port/0"
export CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$chaos_proxy_port"
export WAGTAILADMIN_BASE_URL="http://127.0.0.1:$chaos_proxy_port"
export FRONTEND_CACHE_URL="http://127.0.0.1:$chaos_proxy_port"
export EMAIL_BACKEND=checkmail.SlowFileBackend EMAIL_FILE_PATH="$chaos/mail" CHECK_MAIL_DELAY=0.3
export PYTHONPATH="$root/deploy${PYTHONPATH:+:$PYTHONPATH}"
# A task left running by a killed worker goes back to the queue after 15 s, not 15 min.
export TASK_LEASE_SECONDS=15
export WEB_CONCURRENCY=1 GUNICORN_THREADS=4
echo "== Chaos : PostgreSQL :$chaos_pg_port, Redis :$chaos_redis_port, Varnish :$chaos_proxy_port, gunicorn :$chaos_app1_port et :$chaos_app2_port =="
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py load_demo_content >"$chaos/demo.log" 2>&1
sed -e "s/\"8000\"/\"$chaos_app1_port\"/" -e "s/\"8001\"/\"$chaos_app2_port\"/" \
  deploy/varnish/collectif.vcl >"$chaos/collectif.vcl"
CHECK_WORK="$chaos" CHECK_PROXY_PORT="$chaos_proxy_port" \
  CHECK_APP_PORTS="$chaos_app1_port,$chaos_app2_port" CHECK_PG_DATA="$chaos/pg" \
  CHECK_PG_BIN="$pg_bin" CHECK_REDIS_PORT="$chaos_redis_port" "$PY" deploy/chaos_check.py
