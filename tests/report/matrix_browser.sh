#!/bin/bash
# Renders `dbsweep-report matrix` pages in headless Chromium and checks the
# DOM its scripts build: cell count, the seed case's differing cell, a
# verdict-only difference marked too, distinct column titles, absent cases
# labelled, cells' full text on hover, both filters through the URL
# fragment, the details panel, hostile metadata.
# Expected numbers come from the CSVs (awk), not from the page.
# Usage: tests/report/matrix_browser.sh REPORT_BINARY BUILD_DIR
# shellcheck disable=SC2317 # the check_* functions run through check()
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 REPORT_BINARY BUILD_DIR" >&2
    exit 2
fi
report=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$2" && build=$(cd "$2" && pwd) || exit 2
chromium=/usr/bin/chromium
seed=kut.singlestep_with_code_db
page=$build/matrix.html
log=$build/matrix-chromium.log

. "$root/tests/checks.sh"

finish() {
    summary matrix-browser
    exit
}

# Chromium with a throwaway profile, bounded in time; its chatter goes to the log.
chrome() {
    local profile rc
    profile=$(mktemp -d)
    timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --virtual-time-budget=5000 "$@" 2>>"$log"
    rc=$?
    rm -rf "$profile"
    return "$rc"
}

# dump PAGE FRAGMENT OUT: the DOM after the scripts ran
dump() {
    chrome --dump-dom "file://$1$2" >"$3"
}

# Only the matrix table (the scripts' source holds the same tags as text), on
# one line: cell titles hold line breaks.
table_of() {
    perl -0777 -ne 'if (/(<table id="matrix".*?<\/table>)/s) { ($t = $1) =~ s/\n/ /g; print $t }' "$1"
}

count_cells() {
    table_of "$1" | grep -o '<td class="cell[ "]' | wc -l
}

# Names of the case rows not hidden, one a line.
visible_rows() {
    table_of "$1" | grep -o '<tr class="case[^"]*"><th>[^<]*' | grep -v '"[^"]*hidden' |
        sed 's/.*<th>//'
}

shown_text() {
    sed -n 's/.*id="shown">\([0-9]*\)<.*/\1/p' "$1"
}

seed_row() {
    table_of "$1" | grep -o "<tr class=\"case[^\"]*\"><th>$seed</th>.*" | sed 's|</tr>.*||'
}

# Prints: cases kut_cases differing_cases differing_kut_cases present_cells.
# A case differs when the runs that have it saw different events in
# repetition 0 (vector, offset, for #DB the DR6 bits the report decodes, and
# RFLAGS.RF) or judged them differently (the worst verdict of its rows).
expected_counts() {
    awk -F, '
    function dr6_flags(h,   d, v, i, out, bits, n) {
        if (h == "") return "unread"
        d = substr("0000" substr(h, 3), length(h) - 2)  # low 20 bits: 5 hex digits
        for (i = 1; i <= 5; i++) v = v * 16 + index("0123456789abcdef", substr(d, i, 1)) - 1
        n = split("0 1 2 3 11 13 14 15 16", bits, " ")
        for (i = 1; i <= n; i++) if (int(v / 2 ^ bits[i]) % 2) out = out "," bits[i]
        return out
    }
    BEGIN { rank[""] = 0; rank["match"] = 1; rank["none"] = 2; rank["undefined"] = 3
            rank["mismatch"] = 4 }
    function rf_set(h,   d) { # RFLAGS.RF: bit 16, the fifth hex digit from the right
        if (length(h) < 7) return ""
        d = index("0123456789abcdef", substr(h, length(h) - 4, 1)) - 1
        return d % 2 ? " rf1" : ""
    }
    FNR == 1 { file++; header = 0 }
    /^#/ { next }
    !header { header = 1; next }
    {
        if (!($1 in group)) { group[$1] = $2; order[++ncases] = $1 }
        if (!((file, $1) in has)) present++
        has[file, $1] = 1
        if (rank[$15] > rank[worst[file, $1]]) worst[file, $1] = $15
        if ($3 == "0" && $5 != "")
            events[file, $1] = events[file, $1] ";" $5 "@" $8 ($5 == "1" ? " " dr6_flags($10) : "") \
                rf_set($9)
    }
    END {
        for (c = 1; c <= ncases; c++) {
            name = order[c]; first = ""; differs = 0
            for (f = 1; f <= file; f++) {
                if (!((f, name) in has)) continue
                seen = "=" events[f, name] "|" worst[f, name]
                if (first == "") first = seen
                else if (first != seen) differs = 1
            }
            kut += group[name] == "kut"
            ndiff += differs
            kutdiff += differs && group[name] == "kut"
        }
        print ncases, kut, ndiff, kutdiff, present
    }' "$@"
}

# filter_ok DOM EXPECTED [PREFIX]: the count says EXPECTED, that many rows
# are visible, and all of them start with PREFIX
filter_ok() {
    local rows
    rows=$(visible_rows "$1")
    [ "$(shown_text "$1")" = "$2" ] && [ "$(grep -c . <<<"$rows")" -eq "$2" ] &&
        ! grep -qv "^${3:-}" <<<"$rows"
}

check_filter() { # check_filter FRAGMENT EXPECTED [PREFIX]
    local dom=$build/matrix-dom-${1//[^a-z0-9]/_}.html
    dump "$page" "#$1" "$dom" && filter_ok "$dom" "$2" "${3:-}"
}

# The controls only set location.hash; the hashchange listener filters.
check_controls() {
    local ui=$build/matrix-ui.html dom=$build/matrix-dom-ui.html
    { cat "$page"
      printf '<script>const g = document.getElementById("group"); g.value = "kut";'
      printf 'g.dispatchEvent(new Event("change"));'
      printf 'document.getElementById("differs").click();</script>\n'; } >"$ui"
    dump "$ui" "" "$dom" && filter_ok "$dom" "${counts[3]}" kut.
}

# The tcg-intel.csv column: the same events as the others, judged by
# Intel's rules: marked as differing in the verdict only.
check_verdict_only() {
    local row
    row=$(table_of "$1" | grep -o '<tr class="case[^"]*"><th>shadow.movss_reg.shadowed.nop</th>.*' |
        sed 's|</tr>.*||')
    grep -q 'diff-row' <<<"$row" &&
        [ "$(grep -o 'class="cell v-[a-z]* differs"' <<<"$row" | wc -l)" -eq 1 ] &&
        grep -q 'class="cell v-mismatch differs" title="mismatch, verdict differs from the other machines' \
            <<<"$row"
}

# No two columns carry the same heading (two of the inputs are AMD TCG runs).
check_titles() {
    local titles
    titles=$(table_of "$1" | grep -o '<th class="run"[^>]*>[^<]*' | sed 's/.*>//')
    [ "$(grep -c . <<<"$titles")" -eq "${#inputs[@]}" ] && [ -z "$(sort <<<"$titles" | uniq -d)" ] &&
        grep -qx 'tcg-amd.csv' <<<"$titles" && grep -qx 'amd-15-107-1 kvm' <<<"$titles"
}

check_absent() {
    [ "$(table_of "$1" | grep -o '<td class="cell v-absent" title="this file has no such case">absent</td>' |
        wc -l)" -eq $((counts[0] * ${#inputs[@]} - counts[4])) ]
}

# A cell's whole text on hover, though the column shows only its start.
check_cell_title() {
    seed_row "$1" | grep -q 'title="mismatch, events differ from the other machines observed: #DB@6 BS, #DB@7 BS, #DB@8 BS expected: #DB@6 BS|B2, #DB@7 BS, #DB@8 BS"' 
}

check_self_contained() {
    ! grep -Eqi 'https?:|(src|href)=' "$page"
}

check_click() {
    local dom=$build/matrix-dom-click.html click=$build/matrix-click.html bytes
    bytes=$(grep -m1 "^$seed," "${inputs[1]}" | cut -d, -f19 | sed 's/../& /g; s/ $//')
    # the page as built, plus a click on the seed case's differing cell
    { cat "$page"
      printf '<script>[...document.querySelectorAll("#matrix tr.case")]'
      printf '.find(r => r.cells[0].textContent === "%s")' "$seed"
      printf '.querySelector("td.differs").click();</script>\n'; } >"$click"
    dump "$click" "" "$dom" || return 1
    grep -q "<h2>$seed on amd-15-107-1 kvm <small>kvm-seed-bug.csv" "$dom" &&
        grep -q '<dt>verdict</dt><dd>mismatch</dd>' "$dom" &&
        grep -q '<dt>observed (rep 0)</dt><dd>#DB@6 BS, ' "$dom" &&
        grep -q '<dt>raw DR6</dt><dd>0xffff4ff0, ' "$dom" &&
        grep -q '<dt>expected</dt><dd>#DB@6 BS|B2, ' "$dom" &&
        grep -q "<dt>bytes</dt><dd>$bytes</dd>" "$dom"
}

# Metadata is untrusted: a cpu_brand that closes the script and carries
# markup and a byte that is not UTF-8 must arrive as text.
check_hostile() {
    local csv=$build/matrix-hostile.csv hostile=$build/matrix-hostile.html
    local dom=$build/matrix-dom-hostile.html tcg=$root/tests/report/data/tcg-amd.csv cases
    { sed '/^# cpu_brand: /,$d' "$tcg"
      printf '# cpu_brand: </script><b id="pwned">&amp;"\x27\xff</b>\n'
      sed '1,/^# cpu_brand: /d' "$tcg"; } >"$csv"
    "$report" matrix "$tcg" "$csv" -o "$hostile" || return 1
    dump "$hostile" "" "$dom" || return 1
    read -r cases _ < <(expected_counts "$tcg")
    [ "$(grep -o '</script>' "$hostile" | wc -l)" -eq 2 ] &&
        [ "$(count_cells "$dom")" -eq $((2 * cases)) ] &&
        grep -q 'id=&quot;pwned&quot;' "$dom" && ! grep -q '<b id="pwned"' "$dom"
}

check_screenshot() {
    rm -f "$build/matrix.png"
    chrome --screenshot="$build/matrix.png" --window-size=1400,900 "file://$page" >>"$log" &&
        [ "$(head -c 4 "$build/matrix.png" | tail -c 3)" = PNG ]
}

if [ ! -x "$chromium" ]; then
    check "chromium is not installed" false
    finish
fi

# The oldest TCG sweep in results/ (amd-*-tcg-*.csv.gz, stored compressed): a 2800-case one.
amd="$build/results-amd-sweep.csv"
zcat "$(ls "$root"/results/amd-*-tcg-*.csv.gz | head -n 1)" >"$amd"
inputs=("$root/tests/report/data/tcg-amd.csv" "$root/tests/report/data/kvm-seed-bug.csv"
    "$root/tests/report/data/tcg-intel.csv" "$amd")
: >"$log"

rm -f "$page"
check "report writes the matrix page" "$report" matrix "${inputs[@]}" -o "$page"
[ -s "$page" ] || finish
check "page fetches nothing (no URLs, no src/href)" check_self_contained
read -r -a counts < <(expected_counts "${inputs[@]}")

full=$build/matrix-dom.html
check "chromium renders the page" dump "$page" "" "$full"
check "td.cell count is cases x files ($((counts[0] * ${#inputs[@]})))" \
    test "$(count_cells "$full")" -eq $((counts[0] * ${#inputs[@]}))
check "all ${counts[0]} rows shown without a filter" test "$(shown_text "$full")" = "${counts[0]}"
check "$seed has a cell marked differs" grep -q 'class="cell [^"]*differs' <<<"$(seed_row "$full")"
check "$seed has a v-mismatch cell" grep -q 'class="cell v-mismatch' <<<"$(seed_row "$full")"
check "a verdict-only difference is marked (shadow.movss_reg.shadowed.nop)" check_verdict_only "$full"
check "column titles are distinct (file names where machines collide)" check_titles "$full"
check "absent cases are labelled ($((counts[0] * ${#inputs[@]} - counts[4])) cells)" check_absent "$full"
check "a cell shows its full text on hover" check_cell_title "$full"
check "differing cases are few but some (${counts[2]})" \
    test "${counts[2]}" -ge 1 -a $((counts[2] * 10)) -lt "${counts[0]}"
check "#differs=1 shows the ${counts[2]} differing cases" check_filter "differs=1" "${counts[2]}"
check "#group=kut shows only the ${counts[1]} kut cases" \
    check_filter "group=kut" "${counts[1]}" kut.
check "#group=kut&differs=1 shows ${counts[3]} case" check_filter "group=kut&differs=1" \
    "${counts[3]}" kut.
check "choosing kut and ticking 'differs only' shows ${counts[3]} case" check_controls
check "a click shows the cell's details" check_click
check "hostile metadata stays text" check_hostile
check "screenshot saved to $build/matrix.png" check_screenshot
finish
