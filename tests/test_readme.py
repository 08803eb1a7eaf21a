"""The README stays short, keeps its quickstart, and links only to files that exist (issue 29)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
MAX_CHARS = 15_000
# [text](target) and ![alt](target), target up to the first space or closing parenthesis
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _text() -> str:
    return README.read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    start = text.index(f"## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def relative_links(text: str) -> list[str]:
    """The link targets of ``text`` that point into the repository (no scheme, no bare anchor)."""
    targets = [m.group(1) for m in LINK.finditer(text)]
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t) and not t.startswith("#")]


def test_readme_is_at_most_15000_characters() -> None:
    n = len(_text())
    assert n <= MAX_CHARS, f"README.md has {n:,} characters; keep it at most {MAX_CHARS:,} and move detail into docs/"


def test_quickstart_names_the_two_commands() -> None:
    quickstart = _section(_text(), "Quickstart")
    assert "python3 tasks.py report" in quickstart
    assert "python3 tasks.py test" in quickstart


def test_link_pattern_finds_relative_targets() -> None:
    sample = '[a](docs/x.md#part) ![b](docs/p.png "t") [c](https://e.org/y.md) [d](#anchor) [e](mailto:a@b.c)'
    assert relative_links(sample) == ["docs/x.md#part", "docs/p.png"]


def test_every_relative_link_points_to_an_existing_file() -> None:
    links = relative_links(_text())
    assert len(links) >= 10  # the README links into the docs: a parser that finds nothing is broken
    missing = [t for t in links if not (ROOT / t.split("#", 1)[0]).is_file()]
    assert missing == [], f"README.md links to files that do not exist: {missing}"
