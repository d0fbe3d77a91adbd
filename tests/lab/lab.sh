#!/bin/bash
# lab.sh USB_IMAGE: runs the lab templates in lab/ for real, against
# stand-in lab machines: OVMF under TCG booting the USB image, powered by
# tests/lab/qemu-power.sh in the place of a PDU, its COM1 on a TCP port that
# socat serves as a lab's serial server (ser2net) would. socat follows the
# file QEMU writes COM1 to: through a socket chardev, QEMU 7.2 can drop a TCG
# guest's serial output when the reader falls behind (seen with labgrid's
# QEMUDriver). labgrid runs lab/test_dbsweep.py with lab/labgrid-board.yaml,
# only the lines marked EDIT changed; LAVA's lava-run runs lab/lava-dbsweep.yaml
# as it is, on a device dictionary for the stand-in, and on consoles replayed
# at once as a serial server does after a reconnect. Every wait is bounded:
# what did not finish is said, with its log. Ends with "lab: N passed, N failed".
set -uo pipefail
shopt -s nullglob
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
usb_image=$1
build=$(cd "$(dirname "$usb_image")" && pwd)
extract=$build/dbsweep-serial-extract
. "$here/../checks.sh"
out=$(mktemp -d)
servers=()
cleanup() {
    local d
    for d in "$out"/*/; do "$here/qemu-power.sh" off "$d"; done
    [ ${#servers[@]} -eq 0 ] || kill "${servers[@]}" 2>/dev/null
    [ -n "${LAB_KEEP:-}" ] && echo "lab: kept $out" || rm -rf "$out"
}
trap cleanup EXIT

seconds_since() { awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $1}"; }

# bounded SECS WHAT CMD...: runs CMD, stopped after SECS seconds (a hang
# detector: every run here takes well under a minute); sets rc (124 or 137:
# stopped, said on this script's stdout, fd 3, with WHAT) and secs.
exec 3>&1
bounded() {
    local limit=$1 what=$2 start
    shift 2
    start=$(date +%s.%N)
    timeout -k 10 "$limit" "$@"
    rc=$?
    secs=$(seconds_since "$start")
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
        echo "# $what did not finish within $limit s: stopped" >&3
    fi
}

# serve DIR PORT: the stand-in serial server: DIR/com1.log, and what is
# appended to it, for one client on 127.0.0.1:PORT.
serve() {
    local _
    socat -u OPEN:"$1/com1.log",ignoreeof TCP-LISTEN:"$2",bind=127.0.0.1,reuseaddr 2>"$1/socat.log" &
    servers+=($!)
    for _ in $(seq 50); do ss -ltn | grep -q "127.0.0.1:$2 " && return; sleep 0.1; done
    echo "# the serial server of $1 did not listen on port $2 within 5 s (log: $1/socat.log)"
}

# machine NAME PORT [CFG_LINE...]: a stand-in machine in $out/NAME: a copy
# of the stick whose dbsweep.cfg holds the CFG_LINEs (default: serial=on,
# the 22 cases of two groups and the label e2e-NAME), and its serial server
# on PORT (one client, one boot, as the tests need).
machine() {
    local d=$out/$1 port=$2
    shift 2
    [ $# -gt 0 ] || set -- "serial=on" "cases=kut.*,gd.*" "label=e2e-$(basename "$d")"
    mkdir -p "$d"
    cp "$usb_image" "$d/stick.img"
    printf '%s\n' "$@" >"$d/dbsweep.cfg"
    mcopy -o -i "$d/stick.img@@1M" "$d/dbsweep.cfg" ::/dbsweep/dbsweep.cfg
    : >"$d/com1.log"
    serve "$d" "$port"
}

# no_results_dir NAME: NAME's stick has a file where \dbsweep\results goes,
# so dbsweep cannot create its CSV (a fatal error for a lab: no CSV to send)
no_results_dir() {
    local d=$out/$1
    echo "not a directory" >"$d/results-file"
    mrd -i "$d/stick.img@@1M" ::/dbsweep/results
    mcopy -i "$d/stick.img@@1M" "$d/results-file" ::/dbsweep/results
}

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

# labgrid_run NAME PORT: the stand-in machine NAME with its environment made
# from the template (only the EDIT lines and paths changed) and pytest run on
# lab/test_dbsweep.py; sets rc and secs, pytest's output in $out/NAME/pytest.log.
labgrid_run() {
    local d=$out/$1
    sed -e "s|^\( *host:\) .*# EDIT.*|\1 127.0.0.1|" -e "s|^\( *port:\) .*# EDIT.*|\1 $2|" \
        -e "s|^\( *cmd_on:\) .*# EDIT.*|\1 $here/qemu-power.sh on $d|" \
        -e "s|^\( *cmd_off:\) .*# EDIT.*|\1 $here/qemu-power.sh off $d|" \
        -e "s|\.\./build/dbsweep-serial-extract|$extract|" \
        -e "s|\.\./build/dbsweep-report|$build/dbsweep-report|" \
        -e "s|\.\./results|$d/results|" -e "s|\.\./build/lab|$d/logs|" \
        "$repo/lab/labgrid-board.yaml" >"$d/env.yaml"
    bounded 300 "labgrid's pytest on $1 (log: $d/pytest.log)" env -C "$repo" \
        pytest-3 -q -p no:cacheprovider --lg-env "$d/env.yaml" lab/test_dbsweep.py \
        >"$d/pytest.log" 2>&1
}

# lava_run NAME PORT POWER MAXREAD: lava-run on lab/lava-dbsweep.yaml for the
# machine NAME (POWER: qemu) or a console replayed from $out/NAME/com1.log
# (POWER: none), reading MAXREAD bytes at a time; sets rc and secs, the job
# log in $out/NAME/job.log.
lava_run() {
    local d=$out/$1 on="$here/qemu-power.sh on $out/$1" off="$here/qemu-power.sh off $out/$1"
    [ "$3" = qemu ] || on=true off=true
    sed -e "s|@PORT@|$2|g" -e "s|@POWER_ON@|$on|g" -e "s|@POWER_OFF@|$off|g" \
        -e "s|@MAXREAD@|$4|g" "$here/lava-device.yaml" >"$d/device.yaml"
    # sudo -n: fail rather than wait for a password
    bounded 300 "lava-run on $1 (log: $d/job.log)" $sudo /usr/bin/python3 /usr/bin/lava-run \
        --job-id "dbsweep-$$-$1" --output-dir "$d/output" --device "$d/device.yaml" \
        "$repo/lab/lava-dbsweep.yaml" >"$d/lava-run.out" 2>"$d/job.log"
    [ "$rc" -eq 0 ] || tail -n 20 "$d/job.log" | sed 's/^/# /'
}
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo -n"

# results NAME DEFINITION CASE RESULT: how many such results NAME's job logged
results() {
    grep -c "\"case\": \"$3\", \"definition\": \"$2\", .*\"result\": \"$4\"" "$out/$1/job.log"
}

# job_ended NAME: lava-run ran NAME's job to the end, no monitor timed out
job_ended() {
    [ "$rc" -eq 0 ] && [ "$(results "$1" lava job pass)" -eq 1 ] &&
        ! grep -q "monitoring has timed out\|wait for prompt timed out" "$out/$1/job.log"
}

# replay_split NAME SOURCE LINE: the console of machine NAME is SOURCE,
# replayed at once behind a line of filler sized so that LAVA's 4092-byte
# reads split the first line starting with LINE (on the pty each \n becomes
# \r\n): the worst place for a line a monitor waits for.
replay_split() {
    local d=$out/$1 at fill
    mkdir -p "$d"
    at=$(grep -a -b -n -m1 "^$3" "$2" | awk -F: '{print $2 + $1 - 1}')
    [ -n "$at" ] || { echo "# no line starting with '$3' in $2 to replay"; return 1; }
    fill=$(((4092 - 10 - at % 4092 + 4092) % 4092))
    [ "$fill" -ge 2 ] || fill=$((fill + 4092))
    { head -c $((fill - 2)) /dev/zero | tr '\0' '='; echo; cat "$2"; } >"$d/com1.log"
}

port=$((20000 + $$ % 20000))

# 1. labgrid: lab/labgrid-board.yaml and lab/test_dbsweep.py under pytest.
lg=$out/labgrid
machine labgrid "$port"
labgrid_run labgrid "$port"
check "labgrid: the stand-in environment differs from the template in the EDIT lines and paths only" \
    bash -c "[ \$(diff '$repo/lab/labgrid-board.yaml' '$lg/env.yaml' | grep -c '^>') -eq 8 ]"
[ "$rc" -eq 0 ] || sed 's/^/# /' "$lg/pytest.log"
check "labgrid: pytest --lg-env runs lab/test_dbsweep.py and it passes ($secs s)" [ "$rc" -eq 0 ]
recovered labgrid "$lg"/results/*.csv
check "labgrid: the raw console log is kept" bash -c "ls '$lg'/logs/console-*.log >/dev/null 2>&1"
# the JUnit report against the tally per group dbsweep printed on the console
junit=("$lg"/logs/*.junit.xml)
check "labgrid: one JUnit report, a test suite per group with the cases and mismatches dbsweep printed" \
    /usr/bin/python3 -c '
import sys, re, xml.etree.ElementTree as ET
console = open(sys.argv[2], errors="replace").read()
printed = {g: (int(n), int(m)) for g, n, m in
           re.findall(r"^  (\S+): (\d+) cases, \d+ match, (\d+) mismatch", console, re.M)}
suites = ET.parse(sys.argv[1]).getroot().findall("testsuite")
got = {s.get("name").rsplit(": ", 1)[1]: (int(s.get("tests")), int(s.get("failures")))
       for s in suites if not s.get("name").endswith(": run")}  # "run": the complete test
sys.exit(not (len(printed) == 2 and got == printed))' "${junit[0]:-missing}" "$lg/com1.log"

# 1b. Fatal errors on the stick: the test fails at dbsweep's message, not
#     after its 30-minute wait (which the bound here would stop).
machine labgrid-badcfg $((port + 2)) "colour=red"
labgrid_run labgrid-badcfg $((port + 2))
check "labgrid: a bad dbsweep.cfg fails the test at once with dbsweep's message ($secs s)" \
    bash -c "[ $rc -eq 1 ] && grep -q \"unknown key 'colour'; nothing was run\" '$out/labgrid-badcfg/pytest.log'"
machine labgrid-noresults $((port + 3))
no_results_dir labgrid-noresults
labgrid_run labgrid-noresults $((port + 3))
check "labgrid: a stick where dbsweep cannot create its CSV fails the test at once with dbsweep's message ($secs s)" \
    bash -c "[ $rc -eq 1 ] && grep -q 'dbsweep: ERROR: cannot create a result file' '$out/labgrid-noresults/pytest.log'"

# 2. LAVA: lab/lava-dbsweep.yaml, checked against LAVA's job schema, then run
#    by lava-run (the dispatcher, no server) and its log handed to the
#    extractor. The machine's device dictionary reads 2000 bytes at a time,
#    as lab/lava-dbsweep.yaml advises, so that every case line is seen.
lava=$out/lava
check "lava: the job passes LAVA's own job schema (lava_common.schemas, strict)" \
    /usr/bin/python3 -c "import sys, yaml; from lava_common.schemas import validate
validate(yaml.safe_load(open(sys.argv[1])), strict=True)" "$repo/lab/lava-dbsweep.yaml"
machine lava $((port + 1))
lava_run lava $((port + 1)) qemu 2000
check "lava: lava-run runs the job to the end and it passes ($secs s)" job_ended lava
check "lava: the csv monitor saw the CSV's frame end" [ "$(results lava dbsweep-csv end pass)" -eq 1 ]
# each_case_once NAME: NAME's cases monitor gave one result for each case
# its console said it would run, and one for each group (KTAP's top level)
each_case_once() {
    local ids n g
    ids=$(grep '"definition": "dbsweep-cases"' "$out/$1/job.log" | grep -o '"test_case_id": "[^"]*"')
    n=$(grep -ao -m1 '^cases: [0-9]* of' "$out/$1/com1.log" | awk '{print $2}')
    g=$(grep -acE '^(not )?ok [0-9]+ ' "$out/$1/com1.log")
    [ -n "$n" ] && [ "$(grep -c . <<<"$ids")" -eq $((n + g)) ] &&
        [ "$(sort -u <<<"$ids" | grep -c .)" -eq $((n + g)) ] && return
    echo "# $1: $(grep -c . <<<"$ids") results for ${n:-no} cases and $g groups run (log: $out/$1/job.log)"
    return 1
}
check "lava: the cases monitor reported each case and each group once" each_case_once lava
mkdir -p "$lava/results"
check "lava: dbsweep-serial-extract reads the job log" "$extract" "$lava/job.log" "$lava/results"
recovered lava "$lava"/results/*.csv

# 2b. A fatal error: the job ends at dbsweep's message with a failed result,
#     before dbsweep's own 30 s wait for a key is over.
machine lava-badcfg $((port + 4)) "colour=red"
lava_run lava-badcfg $((port + 4)) qemu 2000
fatal_reported() {
    job_ended lava-badcfg && [ "$(results lava-badcfg dbsweep-csv error fail)" -eq 1 ] &&
        [ "$(results lava-badcfg dbsweep-csv end pass)" -eq 0 ] &&
        grep -q "\"target\", \"msg\": \"dbsweep: ERROR: .*unknown key 'colour'" "$out/lava-badcfg/job.log" &&
        ! grep -q '"target", "msg": "dbsweep: done' "$out/lava-badcfg/job.log"
}
check "lava: a bad dbsweep.cfg ends the job at dbsweep's message, with the result error: fail ($secs s)" \
    fatal_reported

# 3. The labgrid machine's console replayed at once (a serial server's buffer
#    after a reconnect; a dispatcher fallen behind reads the same way), with
#    LAVA's default 4092-byte reads splitting a line that a monitor of the job
#    once waited for alone (the banner, the summary, the CSV's BEGIN): the job
#    still ends, with the CSV's result.
replay_ends() { job_ended "$1" && [ "$(results "$1" dbsweep-csv end pass)" -eq 1 ]; }
p=$((port + 5))
for split in banner:"dbsweep [0-9]" summary:"dbsweep: [0-9]* cases x" begin:"DBSWEEP BEGIN"; do
    name=replay-${split%%:*}
    if replay_split "$name" "$lg/com1.log" "${split#*:}"; then
        serve "$out/$name" "$p"
        lava_run "$name" "$p" none 4092
    else
        rc=1 secs=0
    fi
    check "lava: a console replayed at once, the ${split%%:*} line split by LAVA's reads: the job ends with the CSV's result ($secs s)" \
        replay_ends "$name"
    p=$((p + 1))
done

summary lab
