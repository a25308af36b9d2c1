"""Usage errors are exit code 2 with a one-line reason, never an internal error."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("--bogus",), "No such option: --bogus"),
        (("extract",), "Missing argument"),
        (("list", "--limit", "zero"), "Invalid value"),
    ],
)
def test_usage_errors_exit_2_with_the_reason(akhbar, args, reason):
    result = akhbar(*args)

    assert result.code == 2
    assert reason in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
