"""labgrid test: power-cycle the target, let dbsweep run from its USB stick,
and recover the CSV it streams over the serial console.

    pytest-3 --lg-env lab/labgrid-board.yaml lab/test_dbsweep.py

The stick must carry \\dbsweep\\dbsweep.cfg with serial=on: dbsweep then sends
each CSV between "DBSWEEP BEGIN <name>" and "DBSWEEP END <lines> <crc32>".
The whole console is kept in the environment's `logs` path and handed to
dbsweep-serial-extract, which checks the CRC and writes the CSV byte for byte
into the `results` path. Beside the console log goes <csv name>.junit.xml:
one JUnit test case per case group, failing with the group's mismatching
cases (pytest's own --junitxml reports this test as a whole). A fatal
dbsweep message ("dbsweep: ERROR: ...") ends the test at once with that
message. Python only because labgrid's interface is pytest.
"""
import collections
import csv
import os
import re
import subprocess
import time
import xml.etree.ElementTree as ET

from labgrid.protocol import ConsoleProtocol, PowerProtocol
from pexpect import TIMEOUT

END = re.compile(rb"\nDBSWEEP END [^\n]*\n")
# every message after which dbsweep sends no CSV starts so (efi/*.c)
FATAL = re.compile(rb"dbsweep: ERROR: [^\r\n]*(?=[\r\n])")
# verdicts from best to worst, ranked as dbs_verdict_worse (src/judge.c) does
VERDICTS = ("match", "none", "undefined", "mismatch")


def capture(console, log, timeout):
    """Copies the console into log until a DBSWEEP END line is complete (a
    reset in between, as in crash recovery, just continues the log). Returns
    None when it is, else what went wrong."""
    tail = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            data = console.read(size=4096, timeout=1.0)
        except TIMEOUT:
            continue
        log.write(data)
        tail = (tail + data)[-4096:]
        if END.search(tail):
            return None
        fatal = FATAL.search(tail)
        if fatal:
            return fatal.group(0).decode(errors="replace")
    return f"no DBSWEEP END line within {timeout:.0f} s (is serial=on in dbsweep.cfg?)"


def case_verdicts(csv_path):
    """{group: {case: verdict}}: each case's worst verdict over its rows
    (a row whose verdict is none of VERDICTS, as a crashed case's, adds none)."""
    groups = collections.defaultdict(dict)
    with open(csv_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            cases = groups[row["group"]]
            worst = cases.setdefault(row["case"], "match")
            if row["verdict"] in VERDICTS and \
                    VERDICTS.index(row["verdict"]) > VERDICTS.index(worst):
                cases[row["case"]] = row["verdict"]
    return groups


def write_junit(csv_path, junit_path):
    """One test case per group of csv_path, with its tally in the words of
    dbsweep's console summary; a failure lists the mismatching cases."""
    groups = case_verdicts(csv_path)
    failing = [g for g, cases in groups.items() if "mismatch" in cases.values()]
    suites = ET.Element("testsuites")
    suite = ET.SubElement(suites, "testsuite", name=os.path.basename(csv_path),
                          tests=str(len(groups)), failures=str(len(failing)), errors="0")
    for group, cases in groups.items():
        test = ET.SubElement(suite, "testcase", classname="dbsweep", name=group)
        tally = collections.Counter(cases.values())
        mismatches = sorted(c for c, v in cases.items() if v == "mismatch")
        if mismatches:
            ET.SubElement(test, "failure", type="mismatch",
                          message=f"{len(mismatches)} of {len(cases)} cases mismatch"
                          ).text = "\n".join(mismatches)
        ET.SubElement(test, "system-out").text = f"{len(cases)} cases, " + ", ".join(
            f"{tally[v]} {v}" for v in ("match", "mismatch", "undefined", "none"))
    ET.ElementTree(suites).write(junit_path, encoding="utf-8", xml_declaration=True)


def test_dbsweep(env, target):
    config = env.config
    timeout = float(config.get_option("dbsweep_timeout", 1800))
    results = config.get_path("results")
    logs = config.get_path("logs")
    extract = config.get_tool("dbsweep-serial-extract")
    assert extract and os.access(extract, os.X_OK), \
        f"{extract} is missing: run make first"
    os.makedirs(logs, exist_ok=True)
    log_path = os.path.join(logs, time.strftime("console-%Y%m%d-%H%M%S.log"))

    power = target.get_driver(PowerProtocol)
    console = target.get_driver(ConsoleProtocol)
    power.cycle()
    try:
        with open(log_path, "wb") as log:
            problem = capture(console, log, timeout)
    finally:
        power.off()
    assert problem is None, f"{problem}; console log: {log_path}"

    # the extractor never overwrites: what is new in results is what it recovered
    before = set(os.listdir(results)) if os.path.isdir(results) else set()
    run = subprocess.run([extract, log_path, results], capture_output=True, text=True,
                         check=False)
    print(run.stdout, end="")
    assert run.returncode == 0, f"{run.stderr.strip()} (console log: {log_path})"
    for name in sorted(set(os.listdir(results)) - before):
        junit = os.path.join(logs, os.path.splitext(name)[0] + ".junit.xml")
        write_junit(os.path.join(results, name), junit)
        print(f"per-group results: {junit}")
