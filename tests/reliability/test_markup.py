"""Sheet text is never rich markup: "[/]" or "[link=…]" in a sheet neither crashes nor renders."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.builders import shaoguan_sheet


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin", "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    import os

    env = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args], capture_output=True, text=True, timeout=120, env=env
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"D3": "22.31[/]"},
        {"B3": "整体效能[/]"},
        {"B4": "[link=http://example.invalid]专项效能[/link]"},
        {"A1": "[bold red]标题[/]"},
    ],
    ids=["score", "name", "link", "title"],
)
@pytest.mark.parametrize("command", ["score", "review"])
def test_markup_in_a_sheet_is_printed_as_text(tmp_path, changes, command):
    if command == "review":
        scores = [22.31, 23, 5, 8, 4, 10, 10, 9.5, 7]
        changes = {
            "F2": "复核得分",
            **{f"F{r}": v for r, v in zip(range(3, 12), scores, strict=True)},
            **changes,
        }
    sheet = shaoguan_sheet(tmp_path / "表[bold]m.xlsx", changes)
    args = (
        ["score", str(sheet), "-f", "shaoguan-2023"]
        if command == "score"
        else ["review", str(sheet), "-f", "shaoguan-2023"]
    )
    done = _run(*args)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr
    assert "\x1b]8;" not in done.stdout  # no hyperlink rendered
    assert "表[bold]m.xlsx" in done.stdout
