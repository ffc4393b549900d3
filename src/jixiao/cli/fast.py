"""``jixiao score SHEET --json`` without typer and rich: the command a script runs per file.

Building the typer application (click, typer's adapters, rich for its help) costs several times
the scoring of a department's sheet. When the arguments are exactly those of ``score --json``
(a sheet, ``--json``, optionally ``--framework``/``-f`` and ``--sheet``), :func:`plan` says so
and :func:`score_json` does what ``cli/score_cmd.py`` does for them; any other argument, help
included, goes through typer as before.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class ScoreJson:
    """The arguments of one ``score --json`` run."""

    sheet: str
    framework: str | None = None
    sheet_name: str | None = None


_VALUED = {"-f": "framework", "--framework": "framework", "--sheet": "sheet_name"}


def plan(argv: list[str]) -> ScoreJson | None:
    """The run when ``argv`` is a plain ``score ... --json``; None sends it through typer."""
    if len(argv) < 3 or argv[0] != "score" or "--json" not in argv:
        return None
    given: dict[str, str] = {}
    sheets: list[str] = []
    rest = iter(argv[1:])
    for arg in rest:
        if arg == "--json":
            continue
        name, eq, value = arg.partition("=")
        if name in _VALUED and name.startswith("--") and eq:
            key = _VALUED[name]
        elif arg in _VALUED:
            key, value = _VALUED[arg], next(rest, "")
            if not value or value.startswith("-"):
                return None
        elif arg.startswith("-") or not arg:
            return None  # -o, --force, --help, a typo: typer's parser and its messages
        else:
            sheets.append(arg)
            continue
        if key in given:
            return None
        given[key] = value
    if len(sheets) != 1:
        return None
    return ScoreJson(sheets[0], given.get("framework"), given.get("sheet_name"))


def score_json(run: ScoreJson) -> int:
    """Score the sheet and write its JSON object to standard output (exit code as ``score``)."""
    from pathlib import Path

    from jixiao.scoring.evaluation import now_iso
    from jixiao.scoring.pipeline import no_gc_pauses, score_file
    from jixiao.write.jsonout import write_evaluation_json

    with no_gc_pauses():  # scoring and the JSON of a long sheet: an object or more per cell
        ev = score_file(Path(run.sheet), run.framework, sheet=run.sheet_name)
        write_evaluation_json(ev, sys.stdout, now_iso())
    sys.stdout.write("\n")
    return 1 if ev.result is None else 0
