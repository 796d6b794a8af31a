"""Property-based testing of a live `prepdeck serve` with schemathesis, from openapi/openapi.json.

Every operation and every parameter, with every check schemathesis has: no 5xx, bodies,
status codes, content types and headers as documented, schema-valid requests accepted and
schema-violating ones refused. A failure is a bug in the API or in its schema, never one
to silence here.

`make test` runs a small seeded run (a fixed number of examples per operation); `make fuzz`
a long random one: ``FUZZ_SECONDS`` (the time budget, which fuzzing fills), ``FUZZ_EXAMPLES``
and ``FUZZ_SEED`` (default random; the run prints it) set it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
OPENAPI = HERE.parents[1] / "openapi" / "openapi.json"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))  # per operation and phase
SECONDS = os.environ.get("FUZZ_SECONDS")  # a budget fuzzing fills, so only for `make fuzz`
SEED = os.environ.get("FUZZ_SEED", "" if SECONDS else "20261128")
HANG_GUARD = 300 + int(SECONDS or 0)  # seconds; not a speed limit: only stops a hung run


# A request target over 8 KB is refused with 414 whatever its parameters (the edge answers
# it before any validation): a right answer to schema-violating data (51 topics of a
# kilobyte each) and to valid data past that size alike; the other statuses are
# schemathesis's defaults.
CONFIG = """\
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "414", "415", "422",
                     "428", "429", "5xx"]
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "414", "429", "5xx"]
"""


def test_every_operation_passes_every_check(server, tmp_path):
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        str(OPENAPI),
        "--url",
        server.url,
        "--checks",
        "all",
        "--max-examples",
        str(EXAMPLES),
        "--request-timeout",
        "30",
        "--workers",
        "2",
        # Hypothesis's check that making data is fast is a timing assertion: not here.
        "--suppress-health-check",
        "too_slow",
        *(["--seed", SEED] if SEED else []),
        *(["--max-time", SECONDS] if SECONDS else []),
    ]
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "fuzz_hooks",
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
        "NO_COLOR": "1",
        "COLUMNS": "120",
    }
    # In a temporary folder: schemathesis keeps its example database and reports in the
    # working directory, and reads no configuration but ``CONFIG``.
    try:
        done = subprocess.run(
            command,
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=HANG_GUARD,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"schemathesis still running after {HANG_GUARD} s:\n{exc.stdout}")
    report = done.stdout + done.stderr
    assert done.returncode == 0, report[-20_000:]
    operations = sum(len(item) for item in json.loads(OPENAPI.read_text())["paths"].values())
    assert f"Tested: {operations}\n" in report, report[-5_000:]  # none was skipped
    if SECONDS:
        print(report[report.find("SUMMARY") - 40 :])
