#!/bin/bash
# Fuzzes the host tools' readers with libFuzzer + ASan/UBSan: the CSV loader
# (tools/report/runfile.c) and its views (tools/report/events.c), the gzip
# reader (tools/report/readfile.c), the expected-failure list parser
# (tools/report/known.c), and dbsweep-serial-extract's console log reader
# and inflater (tools/serial_frames.c, tools/lava_log.c) with the app's
# framing and DEFLATE encoder: tests/fuzz/fuzz_*.c, one target.
#
#   tools/fuzz.sh [RUNS]     RUNS executions (default 1000000)
#
# Needs clang-14 (or clang) with its compiler runtime (Debian: clang-14,
# libclang-rt-14-dev). Runs on a copy of tests/fuzz/corpus in a temporary
# directory: nothing is written into the source tree. Build, log and crash
# inputs go to build/. Extra compiler flags: FUZZ_CFLAGS; extra libFuzzer
# flags: FUZZ_FLAGS; checks to skip for a known finding: DBS_FUZZ_RELAX
# (see the target's header comment). Exits non-zero when libFuzzer stopped on
# a crash, leak, timeout or violated invariant.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${1:-1000000}
case $RUNS in '' | *[!0-9]*) echo "usage: tools/fuzz.sh [RUNS]" >&2; exit 2 ;; esac

BUILD=build
BIN=$BUILD/fuzz-runfile
OUT=$BUILD/fuzz
LOG=$OUT/fuzz-runfile.log
ARTIFACTS=$OUT/artifacts

CC=""
for c in clang-14 clang; do
    command -v "$c" >/dev/null 2>&1 && { CC=$c; break; }
done
if [ -z "$CC" ]; then
    echo "fuzz: clang-14 or clang is needed (Debian: clang-14 libclang-rt-14-dev)" >&2
    exit 1
fi

# The loader needs src/output/csv_read.c and dbs_csv_columns (src/output/csv_write.c), and
# with those the rest of the host-buildable core: the Makefile's HOST_SRC,
# passed in as FUZZ_HOST_SRC by `make fuzz`, else asked of make, else src/*.c
# without the ring-0 files.
host_src=${FUZZ_HOST_SRC:-}
if [ -z "$host_src" ]; then
    # shellcheck disable=SC2016 # $(HOST_SRC) is make's, not the shell's
    host_src=$(make -s --no-print-directory --eval='fuzz-host-src: ; @echo $(HOST_SRC)' \
        fuzz-host-src 2>/dev/null) || host_src=""
fi
if [ -z "$host_src" ]; then
    host_src=$(echo src/*.c src/*/*.c)
fi
# shellcheck disable=SC2206
SRC=(tests/fuzz/fuzz_runfile.c tests/fuzz/fuzz_gzip.c tests/fuzz/fuzz_known.c
     tests/fuzz/fuzz_serial.c
     tools/report/runfile.c tools/report/grow.c tools/report/readfile.c tools/report/known.c tools/report/errmsg.c
     tools/report/events.c tools/report/cores.c tools/serial_frames.c tools/lava_log.c
     $host_src)

mkdir -p "$OUT" "$ARTIFACTS"
echo "fuzz: building $BIN with $CC"
# shellcheck disable=SC2086
"$CC" -std=gnu11 -g -O1 -Wall -Wextra -fsanitize=fuzzer,address,undefined \
    -fno-sanitize-recover=all -Iinclude -Itools -Itools/report ${FUZZ_CFLAGS:-} "${SRC[@]}" -lz \
    -o "$BIN"

# Keywords of the format, so mutations reach past the first strcmp.
DICT=$OUT/runfile.dict
{
    for w in case group rep event vector error rip rip_off rflags dr6 dr7 exp_vector \
             exp_rip_off exp_dr6 verdict agree tf bps bytes note exp_dr6_any exp_rf mode access k64 \
             match mismatch undefined none yes no popf iretq iretq_rf skipped capped \
             amd intel hygon tcg kvm metal qemu- hypervisor= cpu_vendor= qemu= label= cores apic_id \
             core_type cpu_index atom 'not hybrid'; do
        printf '"%s"\n' "$w"
    done
    printf '"%s"\n' '# schema: dbsweep-csv 1' '# schema: dbsweep-csv 2' '# status: complete' '# ' ': ' '0x' \
        '\x0d\x0a' '\x0a' '\x22' '\x22\x22' ',,' 'DR2@6:x1:G' 'd0:w8:LG' 'kut.' '0xffff4ff0' \
        '[tcg]' '[' ']' '*.' '\x1f\x8b\x08\x00' \
        'DBSWEEP BEGIN ' '\x0aDBSWEEP END ' ' gzip-base64' 'H4sI' '=' '==' \
        '{\x22dt\x22: \x22' '\x22lvl\x22: \x22target\x22' '\x22msg\x22: \x22' '\x5c\x22'
} >"$DICT"

WORK=$(mktemp -d /tmp/dbsweep-fuzz.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp -r tests/fuzz/corpus "$WORK/corpus"

seeds=(tests/fuzz/corpus/*)
echo "fuzz: $RUNS runs on a copy of tests/fuzz/corpus (${#seeds[@]} seeds); log: $LOG"
rc=0
# shellcheck disable=SC2086
"$BIN" -runs="$RUNS" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="$DICT" -artifact_prefix="$ARTIFACTS/" ${FUZZ_FLAGS:-} "$WORK/corpus" >"$LOG" 2>&1 ||
    rc=$?

execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$LOG" | tail -1)
secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$LOG" | tail -1)
cov=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*/[^ ]*' "$LOG" | tail -1 || true)
[ -n "$cov" ] && echo "fuzz: final $cov${secs:+, $secs s}"
if [ "$rc" -ne 0 ]; then
    crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$LOG" | tail -1)
    grep -m1 -E -e 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)' \
        -e 'runtime error|invariant .* violated' "$LOG" >&2 || true
    echo "fuzz: ${execs:-?} executions, 1 crash (libFuzzer exit $rc); log: $LOG" >&2
    echo "fuzz: crash input: ${crash:-none saved}; reproduce with:" >&2
    echo "      ${DBS_FUZZ_RELAX:+DBS_FUZZ_RELAX=$DBS_FUZZ_RELAX }$BIN ${crash:-<input>}" >&2
    exit 1
fi
echo "fuzz: ${execs:-0} executions, 0 crashes"
