#!/usr/bin/env bash
# The load held, in one command: `make serve` on DATABASE_URL (the demo loaded), Locust headless against it
# (loopback only), p50/p95/p99 per page, then the server is stopped. See benchmarks/README.md.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:54330/tremplin_load benchmarks/load/run.sh
#   USERS=20 RUN_TIME=60s PORT=8011 DATABASE_URL=... benchmarks/load/run.sh
#
# Variables (all optional but DATABASE_URL): USERS (50), SPAWN_RATE (2 a second), RUN_TIME (180s, measured
# once every user is logged in), THINK_MIN/THINK_MAX (4 and 12 s), PORT (8011), WEB_CONCURRENCY (gunicorn's
# 2 × cores + 1), VENV (the application's virtualenv, .venv), BENCH_VENV (Locust's, .venv-bench: created from
# requirements/bench.txt when missing). Exits non-zero when a request failed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
: "${DATABASE_URL:?DATABASE_URL : la base PostgreSQL où la démonstration est chargée (manage.py demo)}"
USERS="${USERS:-50}"
SPAWN_RATE="${SPAWN_RATE:-2}"
RUN_TIME="${RUN_TIME:-180s}"
THINK_MIN="${THINK_MIN:-4}"
THINK_MAX="${THINK_MAX:-12}"
PORT="${PORT:-8011}"
VENV="$(cd "${VENV:-.venv}" && pwd)"
BENCH_VENV="${BENCH_VENV:-.venv-bench}"
LOG_DIR="$(mktemp -d /tmp/tremplin-load.XXXXXX)"

if [ ! -x "$BENCH_VENV/bin/locust" ]; then
    python3 -m venv "$BENCH_VENV"
    "$BENCH_VENV/bin/pip" install --quiet -r requirements/bench.txt
fi

# The login wave (password hashing) happens while users spawn, before the measure: the run lasts the spawn
# time on top of RUN_TIME.
spawn_seconds=$(( (USERS + SPAWN_RATE - 1) / SPAWN_RATE + 30 ))
total_seconds=$(( ${RUN_TIME%s} + spawn_seconds ))

export DATABASE_URL
export DJANGO_SECRET_KEY="${DJANGO_SECRET_KEY:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')}"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export TREMPLIN_VAR_DIR="$LOG_DIR/var"
export GUNICORN_LOG_LEVEL=warning
unset DJANGO_SETTINGS_MODULE

# -o: the virtualenv is already installed, make must not reinstall it. Its own process group, stopped at the end.
setsid make -o "$VENV/.base-installed" serve VENV="$VENV" HOST="127.0.0.1:$PORT" >"$LOG_DIR/serve.log" 2>&1 &
server=$!
stop() {
    kill -TERM -- "-$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
}
trap stop EXIT

for _ in $(seq 1 480); do
    if curl -fs -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/comptes/connexion/"; then
        break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "make serve s'est arrêté :" >&2
        tail -n 40 "$LOG_DIR/serve.log" >&2
        exit 1
    fi
    sleep 0.5
done

echo "Serveur prêt sur 127.0.0.1:$PORT ($(nproc) cœurs, charge $(cut -d' ' -f1-3 /proc/loadavg)) ;" \
    "$USERS utilisateurs, $RUN_TIME de mesure après les connexions."
status=0
"$BENCH_VENV/bin/locust" -f benchmarks/load/locustfile.py --headless --only-summary \
    --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "${total_seconds}s" \
    --think-min "$THINK_MIN" --think-max "$THINK_MAX" \
    --demo-totp --django-python "$VENV/bin/python" \
    --host "http://127.0.0.1:$PORT" --loglevel WARNING 2>"$LOG_DIR/locust.log" || status=$?
echo "Charge de la machine à la fin : $(cut -d' ' -f1-3 /proc/loadavg). Journaux : $LOG_DIR"
exit "$status"
