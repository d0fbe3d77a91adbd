#!/bin/bash
# lab.sh USB_IMAGE: runs the lab templates in lab/ for real, against a
# stand-in lab machine: OVMF under TCG booting the USB image, powered by
# tests/lab/qemu-power.sh in the place of a PDU, its COM1 on a TCP port that
# socat serves as a lab's serial server (ser2net) would. socat follows the
# file QEMU writes COM1 to: through a socket chardev, QEMU 7.2 can drop a TCG
# guest's serial output when the reader falls behind (seen with labgrid's
# QEMUDriver). labgrid runs lab/test_dbsweep.py with lab/labgrid-board.yaml,
# only the lines marked EDIT changed; LAVA's lava-run runs lab/lava-dbsweep.yaml
# as it is, on a device dictionary for the stand-in. Ends with
# "lab: N passed, N failed".
set -uo pipefail
shopt -s nullglob
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
usb_image=$1
build=$(cd "$(dirname "$usb_image")" && pwd)
extract=$build/dbsweep-serial-extract
. "$here/../checks.sh"
out=$(mktemp -d)
adapters=()
cleanup() {
    local d
    for d in "$out"/*/; do "$here/qemu-power.sh" off "$d"; done
    [ ${#adapters[@]} -eq 0 ] || kill "${adapters[@]}" 2>/dev/null
    [ -n "${LAB_KEEP:-}" ] && echo "lab: kept $out" || rm -rf "$out"
}
trap cleanup EXIT

# machine NAME PORT [CFG_LINE...]: a stand-in machine in $out/NAME: a copy
# of the stick whose dbsweep.cfg holds the CFG_LINEs (default: serial=on, a
# subset of cases and the label e2e-NAME), and its serial server on
# 127.0.0.1:PORT (one client, one boot, as the tests need).
machine() {
    local d=$out/$1 port=$2
    shift 2
    [ $# -gt 0 ] || set -- "serial=on" "cases=kut.*" "label=e2e-$(basename "$d")"
    mkdir -p "$d"
    cp "$usb_image" "$d/stick.img"
    printf '%s\n' "$@" >"$d/dbsweep.cfg"
    mcopy -o -i "$d/stick.img@@1M" "$d/dbsweep.cfg" ::/dbsweep/dbsweep.cfg
    : >"$d/com1.log"
    socat -u OPEN:"$d/com1.log",ignoreeof TCP-LISTEN:"$port",bind=127.0.0.1,reuseaddr 2>"$d/socat.log" &
    adapters+=($!)
    for _ in $(seq 50); do ss -ltn | grep -q "127.0.0.1:$port " && break; sleep 0.1; done
}
port=$((20000 + $$ % 20000))

# recovered NAME CSV...: the CSV recovered from the console is the stick's file
recovered() {
    local name=$1
    shift
    check "$name: one CSV recovered from the serial console ($#)" [ "$#" -eq 1 ]
    [ "$#" -eq 1 ] || return
    mcopy -i "$out/$name/stick.img@@1M" "::/dbsweep/results/$(basename "$1")" "$out/$name/esp.csv"
    check "$name: it is byte for byte the file on the stick's ESP" cmp -s "$1" "$out/$name/esp.csv"
    check "$name: it carries the label" bash -c "[[ '$1' == *-e2e-$name.csv ]]"
}

seconds_since() { awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $1}"; }

# labgrid_run NAME PORT: the stand-in machine NAME with its environment made
# from the template (only the EDIT lines and paths changed) and pytest run on
# lab/test_dbsweep.py; sets rc and secs, pytest's output in $out/NAME/pytest.log.
labgrid_run() {
    local d=$out/$1 start
    sed -e "s|^\( *host:\) .*# EDIT.*|\1 127.0.0.1|" -e "s|^\( *port:\) .*# EDIT.*|\1 $2|" \
        -e "s|^\( *cmd_on:\) .*# EDIT.*|\1 $here/qemu-power.sh on $d|" \
        -e "s|^\( *cmd_off:\) .*# EDIT.*|\1 $here/qemu-power.sh off $d|" \
        -e "s|\.\./build/dbsweep-serial-extract|$extract|" \
        -e "s|\.\./results|$d/results|" -e "s|\.\./build/lab|$d/logs|" \
        "$repo/lab/labgrid-board.yaml" >"$d/env.yaml"
    start=$(date +%s.%N)
    (cd "$repo" && pytest-3 -q -p no:cacheprovider --lg-env "$d/env.yaml" lab/test_dbsweep.py) \
        >"$d/pytest.log" 2>&1
    rc=$?
    secs=$(seconds_since "$start")
}

# 1. labgrid: lab/labgrid-board.yaml and lab/test_dbsweep.py under pytest.
lg=$out/labgrid
machine labgrid "$port"
labgrid_run labgrid "$port"
check "labgrid: the stand-in environment differs from the template in the EDIT lines and paths only" \
    bash -c "[ \$(diff '$repo/lab/labgrid-board.yaml' '$lg/env.yaml' | grep -c '^>') -eq 7 ]"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$lg/pytest.log"
check "labgrid: pytest --lg-env runs lab/test_dbsweep.py and it passes ($secs s)" [ "$rc" -eq 0 ]
recovered labgrid "$lg"/results/*.csv
check "labgrid: the raw console log is kept" bash -c "ls '$lg'/logs/console-*.log >/dev/null 2>&1"

# 1b. A stick with a bad dbsweep.cfg: the test fails at dbsweep's message,
#     not after its 30-minute wait.
machine labgrid-badcfg $((port + 2)) "colour=red"
labgrid_run labgrid-badcfg $((port + 2))
check "labgrid: a bad dbsweep.cfg fails the test with dbsweep's message, at once ($secs s)" \
    bash -c "[ $rc -eq 1 ] && grep -q \"unknown key 'colour'; nothing was run\" '$out/labgrid-badcfg/pytest.log' &&
             [ \$(awk 'BEGIN{print ($secs < 60)}') = 1 ]"

# 2. LAVA: lab/lava-dbsweep.yaml, checked against LAVA's job schema, then run
#    by lava-run (the dispatcher, no server) and its log handed to the extractor.
lava=$out/lava
machine lava $((port + 1))
check "lava: the job passes LAVA's own job schema (lava_common.schemas, strict)" \
    /usr/bin/python3 -c "import sys, yaml; from lava_common.schemas import validate
validate(yaml.safe_load(open(sys.argv[1])), strict=True)" "$repo/lab/lava-dbsweep.yaml"
sed -e "s|@HERE@|$here|g" -e "s|@DIR@|$lava|g" -e "s|@PORT@|$((port + 1))|g" \
    "$here/lava-device.yaml" >"$lava/device.yaml"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
start=$(date +%s.%N)
$sudo /usr/bin/python3 /usr/bin/lava-run --job-id "dbsweep-$$" --output-dir "$lava/output" \
    --device "$lava/device.yaml" "$repo/lab/lava-dbsweep.yaml" >"$lava/lava-run.out" 2>"$lava/job.log"
rc=$?
[ "$rc" -eq 0 ] || tail -n 20 "$lava/job.log" | sed 's/^/# /'
check "lava: lava-run runs the job to the end and it passes ($(seconds_since "$start") s)" \
    bash -c "[ $rc -eq 0 ] && grep -q '\"case\": \"job\", \"definition\": \"lava\", \"result\": \"pass\"' '$lava/job.log'"
check "lava: the csv monitor saw the CSV's frame end" \
    grep -q '"definition": "dbsweep-csv", "extra": {"test_case_id": "[^"]*-e2e-lava.csv"}, .*"result": "pass"' "$lava/job.log"
mkdir -p "$lava/results"
check "lava: dbsweep-serial-extract reads the job log" "$extract" "$lava/job.log" "$lava/results"
recovered lava "$lava"/results/*.csv
n=$(grep -c '"definition": "dbsweep-cases"' "$lava/job.log")
cases=$(cat "$lava"/results/*.csv 2>/dev/null | grep -v '^#' | tail -n +2 | cut -d, -f1 | sort -u | wc -l)
check "lava: the cases monitor reported each of the $cases cases and their group once ($n)" \
    bash -c "[ $cases -gt 0 ] && [ $n -eq $((cases + 1)) ]"

summary lab
