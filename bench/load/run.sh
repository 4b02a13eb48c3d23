#!/usr/bin/env bash
# The month-end load test (make load): 50 controllers save and submit their reports while
# 20 councillors read dashboards, against gunicorn with the production settings and
# PostgreSQL, all on loopback. Writes bench/LOAD.md; exits non-zero on any failed request,
# any 5xx, or any save that got a success answer but is not in the database with its
# history (bench/load/verify.py). Not part of the test suite; takes under two minutes.
#
#   bench/load/run.sh
#   LOAD_WORKERS=4 LOAD_THREADS=2 LOAD_REPORT=/tmp/LOAD.md bench/load/run.sh   # compare
#
# Steps: a fresh database (LOAD_DB, default bench_budget_load: dropped and created anew),
# migrate, bench/generate.py (52 committees: 50 with a controller each, the political
# reserve and finansförvaltningen; every report of the open period a draft), then
# bench/load/prepare.py (passwords, 20 councillors, the plan the users follow); gunicorn on
# a free port of 127.0.0.1; locust, headless and bounded, with bench/load/cpu.py noting
# who used the CPU; gunicorn stopped; verify.py; bench/load/report.py writes the report.
# Everything the run leaves is in bench/load/out/ (ignored by git).
#
# Environment: LOAD_REPORT (default bench/LOAD.md), LOAD_PG_URL (server, default
# postgres://postgres@127.0.0.1:5432; loopback only), LOAD_DB, LOAD_WORKERS (default 5),
# LOAD_THREADS (default 1: sync workers; docs/decisions/0015), LOAD_GUNICORN_EXTRA (more
# gunicorn options, e.g. "--keep-alive 10"), LOAD_RUN_TIME (default
# 60s), LOAD_SPAWN_RATE (default 10), LOAD_SAVES (drafts saved before the submission,
# default 4), LOAD_ACTIVITIES (per committee, default 20; the generator's own default, 60,
# is the stress case in docs/decisions/0015).
set -euo pipefail
cd "$(dirname "$0")/../.."

BIN=.venv/bin
PY=$BIN/python
OUT=bench/load/out
PG_URL=${LOAD_PG_URL:-postgres://postgres@127.0.0.1:5432}
DB=${LOAD_DB:-bench_budget_load}
WORKERS=${LOAD_WORKERS:-5}
THREADS=${LOAD_THREADS:-1}
RUN_TIME=${LOAD_RUN_TIME:-60s}
SPAWN_RATE=${LOAD_SPAWN_RATE:-10}
ACTIVITIES=${LOAD_ACTIVITIES:-20}
export LOAD_SAVES=${LOAD_SAVES:-4}
REPORT=${LOAD_REPORT:-bench/LOAD.md}
CONTROLLERS=50
COUNCILLORS=20
USERS=$((CONTROLLERS + COUNCILLORS))
COMMITTEES=$((CONTROLLERS + 2)) # + the political reserve and finansförvaltningen
started=$SECONDS

step() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - started)); }

case $PG_URL in
    postgres://*@127.0.0.1:* | postgres://*@localhost:* | postgres://*@\[::1\]:*) ;;
    *) echo "run.sh: LOAD_PG_URL must point at loopback, not $PG_URL" >&2; exit 2 ;;
esac
[[ $DB =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "run.sh: LOAD_DB must be a plain name" >&2; exit 2; }

rm -rf "$OUT"
mkdir -p "$OUT"
export DATABASE_URL=$PG_URL/$DB
LOAD_PASSWORD=$($PY -c 'import secrets; print(secrets.token_urlsafe(24))')
export LOAD_PASSWORD

step "fresh database $DB, migrate"
psql "$PG_URL/postgres" -q -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
$PY manage.py migrate --noinput -v 0

step "generate $COMMITTEES committees × $ACTIVITIES activities, prepare"
$PY bench/generate.py --committees "$COMMITTEES" --activities "$ACTIVITIES" --open-drafts \
    | tee "$OUT/generate.txt"
$PY bench/load/prepare.py --councillors "$COUNCILLORS" --out "$OUT/plan.json"

PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
GUNICORN_ARGS=(
    hedemora.wsgi:application
    --bind "127.0.0.1:$PORT"
    --workers "$WORKERS"
    --threads "$THREADS"
    --no-control-socket
    --access-logfile "$OUT/access.log"
    --access-logformat '%(s)s %(M)s %(m)s %(U)s %(a)s'
    --error-logfile -
)
# shellcheck disable=SC2206 # LOAD_GUNICORN_EXTRA: more options, split on spaces
GUNICORN_ARGS+=(${LOAD_GUNICORN_EXTRA:-})
step "gunicorn ${GUNICORN_ARGS[*]:1}"
# Production mode as deployed behind the TLS-terminating proxy; only the addresses are
# this machine's. SECRET_KEY is new each run.
DJANGO_ENV=production \
    SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ALLOWED_HOSTS=127.0.0.1 \
    SITE_URL="https://127.0.0.1:$PORT" \
    $BIN/gunicorn "${GUNICORN_ARGS[@]}" > "$OUT/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
stop_gunicorn() {
    if [[ -n ${GUNICORN_PID:-} ]] && kill -0 "$GUNICORN_PID" 2> /dev/null; then
        kill -TERM "$GUNICORN_PID"
        wait "$GUNICORN_PID" || true
    fi
    GUNICORN_PID=
}
stop_cpu_watch() { # bench/load/cpu.py writes its figures when told to stop
    if [[ -n ${CPU_PID:-} ]] && kill -0 "$CPU_PID" 2> /dev/null; then
        kill -TERM "$CPU_PID"
        wait "$CPU_PID" || true
    fi
    CPU_PID=
}
trap 'stop_cpu_watch; stop_gunicorn' EXIT

for _ in $(seq 1 60); do
    # User agent run.sh-probe: verify.py and report.py leave these requests out.
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' \
        -A run.sh-probe "http://127.0.0.1:$PORT/konto/login/" || true)
    [[ $code == 200 ]] && break
    kill -0 "$GUNICORN_PID" 2> /dev/null || { cat "$OUT/gunicorn.log" >&2; exit 1; }
    sleep 0.5
done
[[ $code == 200 ]] || { echo "run.sh: gunicorn does not answer ($code)" >&2; exit 1; }
$PY bench/load/cpu.py "$OUT/cpu.json" --gunicorn "$GUNICORN_PID" --database "$DB" &
CPU_PID=$!

LOCUST_ARGS=(
    -f bench/load/locustfile.py --headless
    -u "$USERS" -r "$SPAWN_RATE" --run-time "$RUN_TIME" --stop-timeout 10
    --host "http://127.0.0.1:$PORT"
    --csv "$OUT/locust" --html "$OUT/locust.html" --only-summary
)
step "locust ${LOCUST_ARGS[*]}"
locust_rc=0
LOAD_PLAN=$OUT/plan.json LOAD_RESULTS=$OUT/results.json \
    $BIN/locust "${LOCUST_ARGS[@]}" 2>&1 | tee "$OUT/locust.txt" || locust_rc=$?
# With pipefail the pipeline's status is locust's (tee does not fail).

step "stop gunicorn"
stop_cpu_watch
stop_gunicorn

step "verify"
verify_rc=0
$PY bench/load/verify.py --plan "$OUT/plan.json" --results "$OUT/results.json" \
    --stats "$OUT/locust" --access-log "$OUT/access.log" --error-log "$OUT/gunicorn.log" \
    --summary "$OUT/verify.json" || verify_rc=$?

step "report"
$PY bench/load/report.py --out "$REPORT" --plan "$OUT/plan.json" \
    --results "$OUT/results.json" --stats "$OUT/locust" --verify "$OUT/verify.json" \
    --generate "$OUT/generate.txt" --cpu "$OUT/cpu.json" --access-log "$OUT/access.log" \
    --command "bench/load/run.sh (make load)" \
    --locust "locust ${LOCUST_ARGS[*]}" \
    --gunicorn "gunicorn ${GUNICORN_ARGS[*]}" \
    --workers "$WORKERS" --threads "$THREADS" --locust-exit "$locust_rc"

printf '\n%s written in %ds; locust exit %d, verify exit %d.\n' \
    "$REPORT" $((SECONDS - started)) "$locust_rc" "$verify_rc"
[[ $locust_rc -eq 0 && $verify_rc -eq 0 ]]
