#!/bin/bash
# bench.sh IMAGE [ACCEL] [ROUNDS]: boots IMAGE with the full sweep, with
# cases=none and with cases=random:1:20000 (same image, a dbsweep.cfg
# added), alternating, ROUNDS times each (default 3), and prints every VM
# time, the medians, their ratio and the cost per case-repetition of each.
# Times are wall clock from QEMU start to power-off, OVMF boot included; the
# ratio is what compares across machines, not the seconds. Then it boots the
# full sweep once with serial=on and once with serial=plain and prints what
# each puts on the serial line: bytes, and seconds at 115200 baud 8N1.
# --save DIR also writes the output to DIR/bench-<accel>-<UTC time>.txt once
# the bench has finished (tools/figures.sh reads the newest one in results/).
set -euo pipefail
if [ "${1:-}" = --save ]; then
    log="$2/bench-${4:-tcg}-$(date -u +%Y%m%d-%H%M%S).txt"
    shift 2
    "$0" "$@" | tee "$log.tmp" || { rm -f "$log.tmp"; exit 1; }
    mv "$log.tmp" "$log"
    echo "bench: saved to $log"
    exit
fi
image=$1 accel=${2:-tcg} rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
echo "bench ($accel): dbsweep git $(git -C "$here" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)," \
    "$(qemu-system-x86_64 --version | head -n 1), $(nproc) CPUs, load average" \
    "$(cut -d' ' -f1 /proc/loadavg) at the start, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

random_sel=random:1:20000
configured() { # NAME CFG_LINE: $work/NAME.img, a copy of IMAGE with that dbsweep.cfg
    cp "$image" "$work/$1.img"
    echo "$2" >"$work/dbsweep.cfg"
    mcopy -i "$work/$1.img" "$work/dbsweep.cfg" ::/dbsweep/dbsweep.cfg
}
configured none "cases=none"
# random:1:20000's CSV (~41 MB) outgrows the 32 MiB image: the same app
# and startup.nsh on a 128 MiB one
mcopy -i "$image" ::/dbsweep/dbsweep.efi "$work/dbsweep.efi"
mcopy -i "$image" ::/startup.nsh "$work/startup.nsh"
"$here/mkimage.sh" --size 128 "$work/random.img" "$work/dbsweep.efi" "$work/startup.nsh" >/dev/null
echo "cases=$random_sel" >"$work/dbsweep.cfg"
mcopy -i "$work/random.img" "$work/dbsweep.cfg" ::/dbsweep/dbsweep.cfg

vm_time() { # IMG OUTDIR -> seconds
    rm -rf "$2"
    "$here/qemu-run.sh" --image "$1" --out "$2" --accel "$accel" --quiet --timeout 900 |
        sed -n 's/^qemu-run: VM ran \([0-9.]*\) s$/\1/p'
}
median() { tr ' ' '\n' | sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

fulls="" nones="" randoms=""
for r in $(seq "$rounds"); do
    f=$(vm_time "$image" "$work/full")
    n=$(vm_time "$work/none.img" "$work/none")
    x=$(vm_time "$work/random.img" "$work/random")
    echo "bench ($accel): round $r: full sweep $f s, zero-case boot $n s, $random_sel $x s"
    fulls="$fulls $f" nones="$nones $n" randoms="$randoms $x"
done
cases=$(sed -n 's/^# cases: //p' "$work"/full/*.csv)
rows=$(($(grep -vc '^#' "$work"/full/*.csv) - 1))
full=$(echo $fulls | median) none=$(echo $nones | median)
echo "bench ($accel): full sweep: $cases cases x 3 reps, $rows CSV rows; median $full s"
echo "bench ($accel): zero-case boot (cases=none): median $none s"
reps=$(sed -n 's/^# reps: //p' "$work"/full/*.csv)
awk -v f="$full" -v n="$none" -v a="$accel" -v c="$cases" -v r="$reps" 'BEGIN {
    printf "bench (%s): ratio full/zero = %.2f (target <= 1.35 under TCG)\n", a, f / n
    printf "bench (%s): cost per case-repetition: %.0f us ((full - zero) / (%d cases x %d reps))\n", a, (f - n) * 1e6 / (c * r), c, r }'
# The seeded random cases: N cases, some skipped for a need the machine
# lacks (under TCG, the watchpoints an event's delivery would hit).
rcases=$(sed -n 's/^# cases: //p' "$work"/random/*.csv)
# Every case judged: a verdict on each row, but a skipped case's.
read -r rskipped runjudged < <(python3 -c 'import csv, sys
rows = list(csv.DictReader(l for l in open(sys.argv[1]) if not l.startswith("#")))
skipped = {r["case"] for r in rows if r["note"] == "skipped"}
print(len(skipped), len({r["case"] for r in rows if r["case"] not in skipped and
                         r["verdict"] not in ("match", "mismatch", "undefined")}))' "$work"/random/*.csv)
random=$(echo $randoms | median)
awk -v x="$random" -v n="$none" -v a="$accel" -v c="$rcases" -v k="$rskipped" -v r="$reps" \
    -v u="$runjudged" -v sel="$random_sel" 'BEGIN {
    printf "bench (%s): %s: %d cases (%d skipped, %d unjudged) x %d reps; median %s s\n", a, sel, c, k, u, r, x
    printf "bench (%s): cost per case-repetition of %s: %.0f us ((random - zero) / (%d cases x %d reps))\n", a, sel, (x - n) * 1e6 / (c * r), c, r }'

# The serial line (QEMU's serial log is exactly the bytes on it): the CSV's
# frame, BEGIN to END, and the result lines, from dbsweep's banner to the
# summary's last line.
export LC_ALL=C
serial_bytes() { # MODE -> "frame-bytes result-line-bytes vm-seconds"
    local vm
    cp "$image" "$work/$1.img"
    echo "serial=$1" >"$work/dbsweep.cfg"
    mcopy -i "$work/$1.img" "$work/dbsweep.cfg" ::/dbsweep/dbsweep.cfg
    vm=$("$here/qemu-run.sh" --image "$work/$1.img" --accel "$accel" --quiet --timeout 900 \
        --log "$work/$1.log" | sed -n 's/^qemu-run: VM ran \([0-9.]*\) s$/\1/p')
    awk -v vm="$vm" '/^DBSWEEP BEGIN/ {f = 1} f {frame += length($0) + 1} /^DBSWEEP END/ {f = 0}
         /^dbsweep [0-9.]*: #DB corner cases/ {c = 1} /^dbsweep: wrote / {c = 0}
         c {lines += length($0) + 1}
         END {print frame, lines, vm}' "$work/$1.log"
}
line_rate=11520 # bytes/s at 115200 baud, 8N1
read -r plain _ plain_vm < <(serial_bytes plain)
read -r deflated ktap_lines on_vm < <(serial_bytes on)
awk -v p="$plain" -v d="$deflated" -v k="$ktap_lines" -v a="$accel" -v r="$line_rate" \
    -v pv="$plain_vm" -v ov="$on_vm" 'BEGIN {
    printf "bench (%s): serial stream of the full sweep: serial=plain %d bytes (%.0f s at 115200 baud), serial=on %d bytes (%.0f s), %.1f times smaller\n", a, p, p / r, d, d / r, p / d
    printf "bench (%s): console lines with serial on (KTAP, one per case and group): %d bytes (%.0f s)\n", a, k, k / r
    printf "bench (%s): VM time with serial=plain %s s, serial=on %s s (a VM serial port has no line rate)\n", a, pv, ov }'
