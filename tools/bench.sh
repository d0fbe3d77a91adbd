#!/bin/bash
# bench.sh IMAGE [ACCEL] [ROUNDS]: boots IMAGE with the full sweep and with
# cases=none (same image, a dbsweep.cfg added), alternating, ROUNDS times
# each (default 3), and prints every VM time, the medians and their ratio.
# Times are wall clock from QEMU start to power-off, OVMF boot included; the
# ratio is what compares across machines, not the seconds.
set -euo pipefail
image=$1 accel=${2:-tcg} rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp "$image" "$work/none.img"
echo "cases=none" >"$work/dbsweep.cfg"
mcopy -i "$work/none.img" "$work/dbsweep.cfg" ::/dbsweep/dbsweep.cfg

vm_time() { # IMG OUTDIR -> seconds
    rm -rf "$2"
    "$here/qemu-run.sh" --image "$1" --out "$2" --accel "$accel" --quiet --timeout 900 |
        sed -n 's/^qemu-run: VM ran \([0-9.]*\) s$/\1/p'
}
median() { tr ' ' '\n' | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

fulls="" nones=""
for r in $(seq "$rounds"); do
    f=$(vm_time "$image" "$work/full")
    n=$(vm_time "$work/none.img" "$work/none")
    echo "bench ($accel): round $r: full sweep $f s, zero-case boot $n s"
    fulls="$fulls $f" nones="$nones $n"
done
cases=$(sed -n 's/^# cases: //p' "$work"/full/*.csv)
rows=$(($(grep -vc '^#' "$work"/full/*.csv) - 1))
full=$(echo $fulls | median) none=$(echo $nones | median)
echo "bench ($accel): full sweep: $cases cases x 3 reps, $rows CSV rows; median $full s"
echo "bench ($accel): zero-case boot (cases=none): median $none s"
awk -v f="$full" -v n="$none" -v a="$accel" \
    'BEGIN { printf "bench (%s): ratio full/zero = %.2f (target <= 1.25 under TCG)\n", a, f / n }'
