#!/bin/bash
# unaccounted.sh TABLE.md A.csv B.csv REPORT: prints the cases whose events
# differ between runs A and B (dbsweep-report diff --events-only) that no
# case glob of TABLE's numbered behaviour rows covers (tcg-known/
# qemu-X-vs-Y.md: third column, each glob in backquotes). As in the known
# lists, a glob that does not start with a mode covers the case in every
# mode. Exits 2 if TABLE has no globs or REPORT fails.
set -uo pipefail
table=$1 a=$2 b=$3 report=$4
# '\|' inside a cell is a literal bar, not a column
mapfile -t globs < <(sed 's/\\|/~/g' "$table" | awk -F'|' '/^\| [0-9]+ \|/ {print $4}' |
    grep -o '`[^`]*`' | tr -d '`' | sort -u)
[ ${#globs[@]} -gt 0 ] || { echo "unaccounted.sh: no case globs in $table" >&2; exit 2; }
diffs=$("$report" diff --events-only "$a" "$b")
[ $? -le 1 ] || exit 2
awk '/  events differ  / {print $1}' <<<"$diffs" | while read -r name; do
    bare=${name#u64.} bare=${bare#k32.} bare=${bare#u32.}
    for g in "${globs[@]}"; do
        # shellcheck disable=SC2053 # the glob is meant to match
        [[ $name == $g ]] && continue 2
        [[ $g != [uk][36][24].* && $bare == $g ]] && continue 2
    done
    echo "$name"
done
