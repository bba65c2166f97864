#!/usr/bin/env bash
# make bundle-test: run the bundle as a user would, and measure it against the venv.
#
#   bash packaging/bundle_test.sh dist/pmload .venv/bin
#
# Every bundle command runs with `env -i`: PATH=/usr/bin:/bin (no .venv), a new empty
# HOME and no PMLOAD_HOME, so the bundle finds its own libraries and the platform's
# per-user folders under that HOME. The venv is used only to generate the test
# calendar (../shared/bench/gen_calendar.py) and for the comparisons.
# Exit 0 when every check passed; each failure is named.
set -uo pipefail

bundle=$(cd "$1" && pwd)
venv_bin=$(cd "$2" && pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$repo/pyproject.toml" | head -n 1)
gen="$repo/../shared/bench/gen_calendar.py"
work=$(mktemp -d "${TMPDIR:-/tmp}/pmload-bundle-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
export work  # the checks below run in child shells
mkdir -p "$work/home"
failures=0

fresh() {  # run a command as a user with only the bundle (QT offscreen: no display here)
  env -i HOME="$work/home" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$@"
}
venv() {  # the same command from the venv, with this checkout's code
  env -i HOME="$work/venv-home" PATH="$venv_bin:/usr/bin:/bin" LANG=C.UTF-8 \
    QT_QPA_PLATFORM=offscreen PYTHONPATH="$repo:$repo/ui" "$@"
}
check() {  # check NAME COMMAND...: run it, say ok or FAILED with its output
  local name=$1; shift
  if out=$("$@" 2>&1); then
    echo "ok      $name"
  else
    echo "FAILED  $name"; printf '%s\n' "$out" | tail -n 15 | sed 's/^/        /'
    failures=$((failures + 1))
  fi
}
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }'; }
drop_caches() { sync; { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null; }
timed_runs() {  # timed_runs N COMMAND...: median wall time of N runs
  local n=$1; shift
  for _ in $(seq "$n"); do local t0; t0=$(now); "$@" >/dev/null 2>&1; seconds "$t0" "$(now)"; echo; done | median
}
is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]; }
is_pdf() { [ "$(head -c 5 "$1")" = "%PDF-" ]; }
is_svg() { grep -q "<svg" "$1"; }

echo "== pmload $version bundle: $bundle"
if [ -n "$(find "$bundle" -name '*.pyc' -path '*site-packages*' -print -quit)" ]; then
  echo "note: the bundle holds a site-packages folder"
fi

# -- the commands a user runs ------------------------------------------------------
check "pmload --version says $version" bash -c \
  "$(declare -f fresh); [ \"\$(fresh '$bundle/pmload' --version)\" = 'pmload $version' ]"
check "pmload sample" fresh "$bundle/pmload" --tz America/Los_Angeles sample
check "pmload audit --format json" bash -c \
  "$(declare -f fresh); fresh '$bundle/pmload' --tz America/Los_Angeles audit --format json > '$work/audit.json' \
   && /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[\"weeks\"]' '$work/audit.json'"
check "time zones from tzdata (no system zone files)" \
  fresh PYTHONTZPATH= "$bundle/pmload" --tz Asia/Kolkata audit --weeks 2
check "the data is in the fresh home's per-user folders" \
  test -s "$work/home/.local/share/pmload/pmload.sqlite3"

if [ -f "$gen" ]; then
  "$venv_bin/python" "$gen" --years 3 --scale 1 --seed 7 --out "$work/pm.ics" >/dev/null
  size=$(du -k "$work/pm.ics" | cut -f1)
  t0=$(now)
  check "import of the scale-1 calendar (${size} KB)" \
    bash -c "$(declare -f fresh); fresh '$bundle/pmload' -v --home '$work/imp' --tz America/Los_Angeles import '$work/pm.ics' 2> '$work/import.err'"
  bundle_import=$(seconds "$t0" "$(now)")
  # the scale-1 file is below the size where a second core pays; scale 3 is above it
  "$venv_bin/python" "$gen" --years 3 --scale 3 --seed 7 --out "$work/pm3.ics" >/dev/null
  check "a larger import runs its helper as the bundle's own executable (two cores)" bash -c \
    "$(declare -f fresh); fresh '$bundle/pmload' -v --home '$work/imp3' --tz America/Los_Angeles import '$work/pm3.ics' 2>&1 | grep -q 'import helper started (frozen)'"
  t0=$(now)
  venv "$venv_bin/pmload" --home "$work/imp-venv" --tz America/Los_Angeles import "$work/pm.ics" >/dev/null 2>&1
  venv_import=$(seconds "$t0" "$(now)")
  count='import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM occurrences").fetchone()[0])'
  n_bundle=$(/usr/bin/python3 -c "$count" "$work/imp/data/pmload.sqlite3" 2>&1)
  n_venv=$(/usr/bin/python3 -c "$count" "$work/imp-venv/data/pmload.sqlite3" 2>&1)
  check "bundle and venv stored the same occurrences ($n_bundle)" test "$n_bundle" = "$n_venv"
else
  echo "skip    the scale-1 import: $gen is absent"
fi

check "pmload export brief (PDF)" bash -c \
  "$(declare -f fresh is_pdf); fresh '$bundle/pmload' --tz America/Los_Angeles export brief --out '$work/brief.pdf' && is_pdf '$work/brief.pdf'"
for ext in png svg pdf; do
  check "pmload export chart share as .$ext" bash -c \
    "$(declare -f fresh is_png is_pdf is_svg); fresh '$bundle/pmload' --tz America/Los_Angeles export chart share --out '$work/share.$ext' && is_$ext '$work/share.$ext'"
done
check "journal with Argon2id (init, add, list)" bash -c \
  "$(declare -f fresh); fresh PMLOAD_PASSPHRASE='bundle test phrase' '$bundle/pmload' journal init \
   && fresh PMLOAD_PASSPHRASE='bundle test phrase' '$bundle/pmload' journal add --burnout 3 --isolation 2 --note 'from the bundle' \
   && fresh PMLOAD_PASSPHRASE='bundle test phrase' '$bundle/pmload' journal list | grep -q 'from the bundle' \
   && [ \"\$(od -An -tu1 -j10 -N1 '$work/home/.local/share/pmload/journal.pmj' | tr -d ' ')\" = 2 ]"
check "pmload-gui --screenshot (week)" bash -c \
  "$(declare -f fresh is_png); fresh '$bundle/pmload-gui' --tz America/Los_Angeles --screenshot '$work/week.png' && is_png '$work/week.png'"
check "pmload-gui --screenshot (trends: matplotlib in Qt)" bash -c \
  "$(declare -f fresh is_png); fresh '$bundle/pmload-gui' --tz America/Los_Angeles --screenshot '$work/trends.png' --view trends && is_png '$work/trends.png'"
check "a second pmload-gui hands its calendar to the open one and exits (QtNetwork)" bash -c "
  $(declare -f fresh)
  env -i HOME='$work/home' PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen \
    '$bundle/pmload-gui' --home '$work/one' --tz Europe/Paris >/dev/null 2>&1 & first=\$!
  sleep 3
  timeout 20 env -i HOME='$work/home' PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen \
    '$bundle/pmload-gui' --home '$work/one' '$repo/tests/core/fixtures/recurrence.ics' || { kill \$first; exit 1; }
  for _ in \$(seq 40); do
    fresh '$bundle/pmload' --home '$work/one' sources 2>/dev/null | grep -q recurrence.ics && break; sleep 0.5
  done
  kill \$first
  fresh '$bundle/pmload' --home '$work/one' sources | grep -q recurrence.ics"
if command -v xvfb-run >/dev/null 2>&1; then
  check "pmload-gui on X11 (the xcb platform plugin, under Xvfb)" bash -c \
    "$(declare -f is_png); env -i HOME='$work/home' PATH=/usr/bin:/bin QT_QPA_PLATFORM=xcb xvfb-run -a '$bundle/pmload-gui' --tz America/Los_Angeles --screenshot '$work/xcb.png' && is_png '$work/xcb.png'"
else
  echo "skip    X11 check: xvfb-run is not installed (apt-get install xvfb)"
fi
if [ -n "${BUNDLE_TEST_KEEP:-}" ]; then
  mkdir -p "$BUNDLE_TEST_KEEP" && cp "$work"/*.png "$work"/*.pdf "$BUNDLE_TEST_KEEP"/ 2>/dev/null
fi

# -- figures -------------------------------------------------------------------------
echo
echo "== size"
echo "unpacked: $(du -sh "$bundle" | cut -f1)"
archive=$(ls "$bundle"/../pmload-"$version"-*.tar.gz 2>/dev/null | head -n 1)
[ -n "$archive" ] && echo "archive:  $(du -sh "$archive" | cut -f1) ($(basename "$archive"))"
echo "largest parts:"
du -s "$bundle"/_internal/* "$bundle"/pmload "$bundle"/pmload-gui 2>/dev/null | sort -rn | head -n 8 \
  | awk -v root="$bundle/" '{ sub(root, "", $2); printf "  %6.1f MB  %s\n", $1 / 1024, $2 }'
echo "  Qt's own libraries: $(du -sh "$bundle/_internal/PySide6/Qt/lib" | cut -f1) (ICU data alone $(du -sh "$bundle"/_internal/PySide6/Qt/lib/libicudata* | cut -f1))"

echo
echo "== start-up (median of 5 warm runs; cold = first run after dropping the page cache)"
drop_caches; t0=$(now); fresh "$bundle/pmload" --version >/dev/null; cold_b=$(seconds "$t0" "$(now)")
drop_caches; t0=$(now); venv "$venv_bin/pmload" --version >/dev/null; cold_v=$(seconds "$t0" "$(now)")
echo "pmload --version   bundle: cold ${cold_b} s, warm $(timed_runs 5 fresh "$bundle/pmload" --version) s" \
     "| venv: cold ${cold_v} s, warm $(timed_runs 5 venv "$venv_bin/pmload" --version) s"
# the app from launch until its window has painted once (PMLOAD_GUI_BENCH=paint quits then)
gui_b() { fresh PMLOAD_GUI_BENCH=paint "$bundle/pmload-gui"; }
gui_v() { venv PMLOAD_GUI_BENCH=paint "$venv_bin/pmload-gui"; }
drop_caches; t0=$(now); gui_b >/dev/null 2>&1; cold_b=$(seconds "$t0" "$(now)")
drop_caches; t0=$(now); gui_v >/dev/null 2>&1; cold_v=$(seconds "$t0" "$(now)")
echo "pmload-gui to first paint   bundle: cold ${cold_b} s, warm $(timed_runs 5 gui_b) s" \
     "| venv: cold ${cold_v} s, warm $(timed_runs 5 gui_v) s"
if [ -n "${bundle_import:-}" ]; then
  echo "import of the scale-1 calendar   bundle: ${bundle_import} s | venv: ${venv_import} s"
fi

echo
if [ "$failures" -eq 0 ]; then echo "bundle-test: every check passed."; else echo "bundle-test: $failures check(s) FAILED."; fi
[ "$failures" -eq 0 ]
