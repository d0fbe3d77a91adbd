#!/bin/bash
# bench_report.sh REPORT BUILD [N]: dbsweep-report over a lab's worth of
# CSVs. Makes N (default 500) full sweeps under BUILD/bench-csv from the
# real ones (results/*.csv.gz and BUILD/e2e-last*.csv with at least 50,000
# rows), each with its own machine (cpu_family, cpu_model, cpu_stepping,
# cpu_brand) and label, then times matrix, summary and verdicts over all N
# and prints wall time, CPU time and peak RSS of each (/usr/bin/time), then
# whether each met the target (at most 10 s and 300 MB for 500 on the dev
# VM, 2 CPUs). The readers parse on every CPU (tools/report/runs.c), so the
# wall time needs idle CPUs: the load average is printed before each
# command; on a shared machine the CPU time is the steadier figure. A
# benchmark that prints figures, not a test: it never fails on a missed
# target.
set -euo pipefail
report=$1 build=$2 n=${3:-500}
max_s=10 max_mb=300 # the issue's target
missed=()
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$build/bench-csv
export LC_ALL=C

# The sources: full sweeps only (a short run would flatter the figures).
srcs=()
for f in "$root"/results/*.csv.gz "$build"/e2e-last*.csv; do
    [ -f "$f" ] || continue
    rows=$( (zcat -f "$f" | grep -vc '^#') || true)
    [ "$rows" -ge 50000 ] && srcs+=("$f")
done
[ "${#srcs[@]}" -gt 0 ] || { echo "bench-report: no full sweep to start from" >&2; exit 2; }

# Regenerated only when the sources or N change.
stamp="$n $(cat "${srcs[@]}" | cksum)"
if [ "$(cat "$dir/stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$dir"
    mkdir -p "$dir/src"
    for k in "${!srcs[@]}"; do # metadata and body apart, once per source
        zcat -f "${srcs[$k]}" >"$dir/src/$k.csv"
        sed -n '/^#/!q; p' "$dir/src/$k.csv" >"$dir/src/$k.head"
        sed -n '/^[^#]/,$p' "$dir/src/$k.csv" >"$dir/src/$k.body"
        rm "$dir/src/$k.csv"
    done
    for i in $(seq 1 "$n"); do
        k=$(((i - 1) % ${#srcs[@]}))
        sed -e "s/^# cpu_family: .*/# cpu_family: $((6 + i % 20))/" \
            -e "s/^# cpu_model: .*/# cpu_model: $((i % 250))/" \
            -e "s/^# cpu_stepping: .*/# cpu_stepping: $((i % 16))/" \
            -e "s/^# cpu_brand: \(.*\)/# cpu_brand: \1 (lab machine $i)/" \
            -e "s/^# label: .*/# label: lab-$i/" "$dir/src/$k.head" |
            cat - "$dir/src/$k.body" >"$dir/m$i.csv"
    done
    rm -rf "$dir/src"
    echo "$stamp" >"$dir/stamp"
fi
files=("$dir"/m*.csv)
mb=$(du -cm "${files[@]}" | tail -1 | cut -f1)
rows=$(grep -vc '^#' "${files[0]}")
echo "bench-report: ${#files[@]} CSVs (${#srcs[@]} real sweeps, new metadata each), $mb MB, $((rows - 1)) rows in the first"
echo "bench-report: $(nproc) CPUs; target per command: at most $max_s s and $max_mb MB peak RSS (for 500 CSVs)"

run() { # WHAT ARGS...: one timed run, its output thrown away
    local what=$1 secs user sys kb rc load verdict
    shift
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -o "$dir/time" -f '%e %U %S %M %x' "$report" "$@" "${files[@]}" >/dev/null \
        2>"$dir/stderr" || true
    read -r secs user sys kb rc < <(tail -1 "$dir/time")
    [ "$rc" -le 1 ] || { echo "bench-report: $what failed (exit $rc):" >&2; cat "$dir/stderr" >&2; exit 2; }
    verdict=ok
    if awk -v s="$secs" -v m="$max_s" 'BEGIN { exit !(s > m) }' || [ $((kb / 1024)) -gt "$max_mb" ]; then
        verdict=MISSED
        missed+=("$what")
    fi
    printf 'bench-report: %-24s %7.2f s (CPU %.2f s user + %.2f s sys) %5d MB peak RSS, load %s before: %s\n' \
        "$what" "$secs" "$user" "$sys" $((kb / 1024)) "$load" "$verdict"
}
run "matrix" matrix
run "summary" summary
run "verdicts --format tap" verdicts --format tap
run "verdicts --format junit" verdicts --format junit
run "verdicts --format json" verdicts --format json
if [ "${#missed[@]}" -eq 0 ]; then
    echo "bench-report: target met by every command (${#files[@]} CSVs: at most $max_s s, $max_mb MB)"
else
    list=$(printf '%s, ' "${missed[@]}")
    echo "bench-report: target missed by: ${list%, } (at most $max_s s, $max_mb MB; a loaded machine misses on time alone)"
fi
