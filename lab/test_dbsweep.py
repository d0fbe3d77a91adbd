"""labgrid test: power-cycle the target, let dbsweep run from its USB stick,
and recover the CSV it streams over the serial console.

    pytest-3 --lg-env lab/labgrid-board.yaml lab/test_dbsweep.py

The stick must carry \\dbsweep\\dbsweep.cfg with serial=on: dbsweep then sends
each CSV between "DBSWEEP BEGIN <name>" and "DBSWEEP END <lines> <crc32>".
The whole console is kept in the environment's `logs` path and handed to
dbsweep-serial-extract, which checks the CRC and writes the CSV byte for byte
into the `results` path. Python only because labgrid's interface is pytest.
"""
import os
import re
import subprocess
import time

from labgrid.protocol import ConsoleProtocol, PowerProtocol
from pexpect import TIMEOUT

END = re.compile(rb"\nDBSWEEP END [^\n]*\n")
ERROR = re.compile(rb"dbsweep: ERROR: [^\r\n]*nothing was run")


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
        error = ERROR.search(tail)
        if error:
            return error.group(0).decode(errors="replace")
    return f"no DBSWEEP END line within {timeout:.0f} s (is serial=on in dbsweep.cfg?)"


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

    run = subprocess.run([extract, log_path, results], capture_output=True, text=True,
                         check=False)
    print(run.stdout, end="")
    assert run.returncode == 0, f"{run.stderr.strip()} (console log: {log_path})"
