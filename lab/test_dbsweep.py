"""labgrid test: power-cycle the target, let dbsweep run from its USB stick,
and recover the CSV it streams over the serial console.

    pytest-3 --lg-env lab/labgrid-board.yaml lab/test_dbsweep.py

The stick must carry \\dbsweep\\dbsweep.cfg with serial=on: dbsweep then sends
each CSV between "DBSWEEP BEGIN <name>" and "DBSWEEP END <lines> <crc32>".
The whole console is kept in the environment's `logs` path and handed to
dbsweep-serial-extract, which checks the CRC and writes the CSV byte for byte
into the `results` path. Beside the console log, dbsweep-report verdicts
writes <csv name>.junit.xml: a test suite per case group, a test case per
case, a failure per mismatching or crashed case (pytest's own --junitxml
reports this test as a whole). A fatal dbsweep message ("dbsweep: ERROR:
...") ends the test at once with that message. Python only because
labgrid's interface is pytest.
"""
import os
import re
import subprocess
import time

from labgrid.protocol import ConsoleProtocol, PowerProtocol
from pexpect import TIMEOUT

END = re.compile(rb"\nDBSWEEP END [^\n]*\n")
# every message after which dbsweep sends no CSV starts so (efi/*.c)
FATAL = re.compile(rb"dbsweep: ERROR: [^\r\n]*(?=[\r\n])")


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


def test_dbsweep(env, target):
    config = env.config
    timeout = float(config.get_option("dbsweep_timeout", 1800))
    results = config.get_path("results")
    logs = config.get_path("logs")
    extract = config.get_tool("dbsweep-serial-extract")
    report = config.get_tool("dbsweep-report")
    for tool in (extract, report):
        assert tool and os.access(tool, os.X_OK), f"{tool} is missing: run make first"
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
        run = subprocess.run([report, "verdicts", os.path.join(results, name), "--format",
                              "junit", "-o", junit], capture_output=True, text=True, check=False)
        # exit 1 says that some case failed: that is in the report, for CI to show
        assert run.returncode in (0, 1), f"{run.stderr.strip()} (CSV: {name})"
        print(f"verdicts per group and case: {junit}")
