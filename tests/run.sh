#!/bin/bash
# run.sh UNIT_TEST... -- "SCRIPT ARGS"...: runs the cmocka unit tests, then
# each script (the end-to-end and tool tests; each ends with a line
# "<name>: N passed, N failed"), then prints one closing line
# "N passed, N failed".
set -uo pipefail
units=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do units+=("$1"); shift; done
shift
pass=0 fail=0

count() { # adds the "N passed, N failed" / cmocka counts found in a log
    local p f
    p=$(grep -Eo '\[  PASSED  \] [0-9]+' "$1" | awk '{s+=$4} END{print s+0}')
    f=$(grep -Eo '\[  FAILED  \] [0-9]+' "$1" | awk '{s+=$4} END{print s+0}')
    p=$((p + $(grep -Eo '^[a-z0-9.-]+: [0-9]+ passed, [0-9]+ failed' "$1" | awk '{s+=$2} END{print s+0}')))
    f=$((f + $(grep -Eo '^[a-z0-9.-]+: [0-9]+ passed, [0-9]+ failed' "$1" | awk '{s+=$4} END{print s+0}')))
    pass=$((pass + p)) fail=$((fail + f))
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "${units[@]}"; do
    echo "== unit: $t"
    if ! "$t" >"$log" 2>&1; then
        # a crash or an abort counts as a failure even if cmocka printed nothing
        grep -q '\[  FAILED  \]' "$log" || echo "[  FAILED  ] 1 test(s): $t exited abnormally" >>"$log"
    fi
    cat "$log"
    count "$log"
done
for script in "$@"; do
    echo "== $script"
    # shellcheck disable=SC2086
    $script 2>&1 | tee "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || grep -Eq '^[a-z0-9.-]+: .* [1-9][0-9]* failed' "$log" ||
        echo "${script%% *}: 0 passed, 1 failed (exited abnormally)" | tee -a "$log"
    count "$log"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
