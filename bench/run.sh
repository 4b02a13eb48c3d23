#!/usr/bin/env bash
# One command for the benchmarks (make bench): fresh databases, migrate, fill, measure,
# write bench/RESULTS.md. Not part of the test suite.
#
#   bench/run.sh                                    # quick: 15 × 60 activities, 8 periods, 1 year
#   BENCH_GENERATE_ARGS=--full bench/run.sh         # 15 × 300 activities, 8 periods, 5 years
#
# Databases, all dropped and created anew on each run:
#   SQLite      bench/out/demo.sqlite3, bench/out/tiny.sqlite3, bench/out/generated.sqlite3
#   PostgreSQL  bench_budget_demo (Hedemora demo) and bench_budget (generated)
# "demo" is Hedemora's demo (manage.py setup_demo); "tiny" a generated municipality of
# 4 × 5 activities, for counting queries on the generator's shape at a small size.
#
# Environment: BENCH_PG_URL (server, default postgres://postgres@127.0.0.1:5432),
# BENCH_RUNS (timed requests per page, default 15), BENCH_UPLOAD_RUNS (default 15),
# BENCH_GENERATE_ARGS (extra arguments for bench/generate.py).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
OUT=bench/out
PG_URL=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
RUNS=${BENCH_RUNS:-15}
UPLOAD_RUNS=${BENCH_UPLOAD_RUNS:-15}
GENERATE_ARGS=${BENCH_GENERATE_ARGS:-}
started=$SECONDS

rm -rf "$OUT"
mkdir -p "$OUT"

step() { printf '\n== %s (%ds)\n' "$*" $((SECONDS - started)); }

fresh_postgres() {
    psql "$PG_URL/postgres" -q -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
}

# fill LABEL DATABASE_URL demo|tiny|generated
fill() {
    local label=$1 url=$2 kind=$3
    step "$label: migrate"
    DATABASE_URL=$url $PY manage.py migrate --noinput -v 0
    case $kind in
        demo)
            step "$label: setup_demo"
            DATABASE_URL=$url $PY manage.py setup_demo > "$OUT/$label-setup.txt"
            ;;
        tiny)
            step "$label: generate (tiny)"
            DATABASE_URL=$url $PY bench/generate.py --committees 4 --activities 5 \
                | tee "$OUT/$label-generate.txt"
            ;;
        generated)
            step "$label: generate $GENERATE_ARGS"
            # shellcheck disable=SC2086 # the arguments are meant to split
            DATABASE_URL=$url $PY bench/generate.py $GENERATE_ARGS | tee "$OUT/$label-generate.txt"
            ;;
    esac
    # Fresh statistics, as a database in use has them (autovacuum may not have run yet):
    # the planner's estimates decide the plans measured.
    step "$label: ANALYZE"
    DATABASE_URL=$url $PY -c 'import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hedemora.settings")
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")'
}

# measure LABEL DATABASE_URL [measure.py options]
measure() {
    local label=$1 url=$2
    shift 2
    step "$label: measure"
    DATABASE_URL=$url $PY bench/measure.py run --label "$label" --out "$OUT/$label.json" \
        --runs "$RUNS" --upload-runs "$UPLOAD_RUNS" "$@"
}

sqlite() { echo "sqlite:///$PWD/$OUT/$1.sqlite3"; }

fill sqlite-demo "$(sqlite demo)" demo
measure sqlite-demo "$(sqlite demo)" --upload-count-only

fill sqlite-tiny "$(sqlite tiny)" tiny
measure sqlite-tiny "$(sqlite tiny)" --upload-rows 0 --count-only

fill sqlite-generated "$(sqlite generated)" generated
measure sqlite-generated "$(sqlite generated)" --generated "$OUT/sqlite-generated-generate.txt" \
    --refusal-check

fresh_postgres bench_budget_demo
fill postgres-demo "$PG_URL/bench_budget_demo" demo
measure postgres-demo "$PG_URL/bench_budget_demo" --upload-count-only

fresh_postgres bench_budget
fill postgres-generated "$PG_URL/bench_budget" generated
measure postgres-generated "$PG_URL/bench_budget" --generated "$OUT/postgres-generated-generate.txt"

step "report"
$PY bench/measure.py report --output bench/RESULTS.md \
    "$OUT/sqlite-demo.json" "$OUT/sqlite-tiny.json" "$OUT/sqlite-generated.json" \
    "$OUT/postgres-demo.json" "$OUT/postgres-generated.json"
printf '\nbench/RESULTS.md written in %ds.\n' $((SECONDS - started))
