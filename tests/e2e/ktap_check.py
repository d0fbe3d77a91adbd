"""ktap_check.py CONSOLE_LOG CSV: reads the console as LAVA's test monitor
does (README.md, "Fleets": the pattern and fixupdict below are the ones to
put in a LAVA job) and checks that it gives one result per case and per
group, each as the CSV judged it, and that the KTAP document is well formed.
Exit 0 when all holds, else 1 with what does not."""
import csv
import re
import sys

# The LAVA test monitor for dbsweep's KTAP lines (serial=on).
START = r"dbsweep \d+\.\d+\.\d+: #DB corner cases"
END = r"dbsweep: \d+ cases x \d+ reps: "
PATTERN = r"(?:not )?ok \d+ (?P<test_case_id>[^\s#]+) # (?:SKIP )?(?P<result>[a-z]+)[;\r\n]"
FIXUPDICT = {"match": "pass", "mismatch": "fail", "crashed": "fail",
             "undefined": "unknown", "none": "unknown", "skipped": "skip"}


def main(log_path, csv_path):
    text = open(log_path, encoding="utf-8", errors="replace").read()
    start = re.search(START, text)
    end = re.search(END, text[start.end():]) if start else None
    if not end:
        print("# no start or end string")
        return 1
    console = text[start.end():start.end() + end.start()]
    results = {}
    for m in re.finditer(PATTERN, console):
        if m["test_case_id"] in results:
            print(f"# {m['test_case_id']} reported twice")
            return 1
        if m["result"] not in FIXUPDICT:
            print(f"# {m['test_case_id']}: result word {m['result']!r} not in the fixupdict")
            return 1
        results[m["test_case_id"]] = m["result"]
    rows = csv.DictReader(line for line in open(csv_path) if not line.startswith("#"))
    # a case's verdict is its gravest row's (src/model/judge.c); a case not run is
    # "skipped", one the machine went down in "crashed"
    row_rank = ["match", "none", "undefined", "mismatch"]
    verdict, group_of = {}, {}
    for r in rows:
        was = verdict.get(r["case"])
        for word in ("skipped", "crashed"):
            if r["note"].startswith(word) or was == word:
                verdict[r["case"]] = word
                break
        else:
            if was is None or row_rank.index(r["verdict"]) > row_rank.index(was):
                verdict[r["case"]] = r["verdict"]
        group_of[r["case"]] = r["group"]
    grave = ["skipped", "none", "undefined", "match", "mismatch", "crashed"]
    expected, group = dict(verdict), {}
    for case, word in verdict.items():
        group.setdefault(group_of[case], []).append(word)
    for g, words in group.items():
        expected[g] = max(words, key=grave.index)
    if results != expected:
        wrong = sorted(set(results.items()) ^ set(expected.items()))[:5]
        print(f"# {len(results)} results, {len(expected)} expected; differing: {wrong}")
        return 1
    # KTAP: top-level plan = groups, each subtest plan = its cases
    lines = [line.rstrip("\r") for line in console.split("\n")]
    top = [line for line in lines if re.match(r"(?:not )?ok \d+ ", line)]
    plan = [line for line in lines if re.fullmatch(r"1\.\.\d+", line)]
    if lines.count("KTAP version 1") != 1 or plan != [f"1..{len(group)}"] or len(top) != len(group):
        print(f"# top level: plan {plan}, {len(top)} group results, {len(group)} groups")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
