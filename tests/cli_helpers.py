"""Running the ``routes`` command line in-process from a test."""

from __future__ import annotations

import pytest

from routes.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``routes ARGS...``: its exit code, standard output and standard error."""
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out = capsys.readouterr()
    return info.value.code, out.out, out.err
