"""A bounded fuzz run of the reader over mutated copies of the example workbooks in sheets/.

Two kinds of mutation: bytes of the file itself (flipped, truncated, spliced), which mostly
exercise the container checks; and bytes of the XML parts inside a re-packed, valid zip, which
reach openpyxl's parsers. Every run must end in an evaluation or a JixiaoError. The run is
bounded by the number of cases (seeded, so a failure names a case that reproduces), not by time.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

import pytest

from jixiao.errors import JixiaoError
from jixiao.framework.load import load_all
from jixiao.scoring.pipeline import score_file
from tests.conftest import SHEETS

CASES = int(os.environ.get("JIXIAO_FUZZ_CASES", "200"))
EXAMPLES = sorted(SHEETS.glob("*.xlsx"))
FRAMEWORKS = load_all()
XML_SNIPPETS = [
    b'<c r="XFD1048576"><v>1</v></c>',
    b'<c r="A0"><v>x</v></c>',
    b'<c r="A1" t="e"><v>#REF!</v></c>',
    b"<v>1e999</v>",
    b"<v>NaN</v>",
    b't="b"',
    b't="d"',
    b's="9999"',
    b'<mergeCell ref="A1:XFD1048576"/>',
    b'<mergeCell ref="Z9:A1"/>',
    b'<row r="-1">',
    b"\xff\xfe",
    b"&amp;&#0;",
    b"<f>1/0</f>",
    b"]]>",
]


def _mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    kind = rng.randrange(3)
    if kind == 0:  # flip a few bytes
        for _ in range(rng.randint(1, 16)):
            buf[rng.randrange(len(buf))] ^= rng.randint(1, 255)
    elif kind == 1:  # cut the file
        del buf[rng.randrange(len(buf)) :]
    else:  # copy a block over another place
        a, b = sorted(rng.randrange(len(buf)) for _ in range(2))
        at = rng.randrange(len(buf))
        buf[at : at + (b - a)] = buf[a:b]
    return bytes(buf)


def _mutate_xml(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(4)
        at = rng.randrange(max(len(buf), 1))
        if kind == 0:
            buf[at : at + 1] = bytes([rng.randint(0, 255)])
        elif kind == 1:
            del buf[at : at + rng.randint(1, 40)]
        elif kind == 2:
            buf[at:at] = rng.choice(XML_SNIPPETS)
        else:  # swap two digits in a number or reference
            digits = [i for i in range(len(buf)) if 48 <= buf[i] <= 57]
            if digits:
                buf[rng.choice(digits)] = rng.randint(48, 57)
    return bytes(buf)


def _mutate_part(source: bytes, rng: random.Random) -> bytes:
    with zipfile.ZipFile(io.BytesIO(source)) as zin:
        infos = zin.infolist()
        xml = [i for i in infos if i.filename.endswith(".xml")]
        target = rng.choice(xml).filename
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in infos:
                data = zin.read(info)
                if info.filename == target:
                    data = _mutate_xml(data, rng)
                zout.writestr(info.filename, data)
    return out.getvalue()


def _run(path: Path) -> str:
    try:
        ev = score_file(path, frameworks=FRAMEWORKS)
    except JixiaoError as e:
        assert str(e), "an error without a message"
        return "refused"
    return "scored" if ev.result is not None else "findings"


@pytest.mark.parametrize("how", ["file-bytes", "xml-parts"])
def test_fuzz_reader_over_mutated_examples(tmp_path: Path, how: str):
    outcomes: dict[str, int] = {}
    for case in range(CASES):
        rng = random.Random(f"{how}-{case}")
        source = rng.choice(EXAMPLES)
        data = source.read_bytes()
        mutated = _mutate_bytes(data, rng) if how == "file-bytes" else _mutate_part(data, rng)
        path = tmp_path / f"{how}-{case}.xlsx"
        path.write_bytes(mutated)
        try:
            outcome = _run(path)
        except Exception as e:  # pragma: no cover - this is the failure being looked for
            raise AssertionError(f"case {how}-{case} ({source.name}) raised {e!r}") from e
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert sum(outcomes.values()) == CASES
    if how == "xml-parts":
        # The mutations must reach the parsers, not only the container checks.
        assert outcomes.get("scored", 0) + outcomes.get("findings", 0) > 0, outcomes


@pytest.fixture(scope="module")
def xls_bytes(tmp_path_factory, soffice) -> bytes:
    """The 韶关 example saved as Excel 97–2003 by LibreOffice."""
    from tests.conftest import convert_with_soffice

    folder = tmp_path_factory.mktemp("xls-fuzz")
    source = folder / "sg.xlsx"
    source.write_bytes((SHEETS / "shaoguan-2023-kexie.xlsx").read_bytes())
    return convert_with_soffice(soffice, source, "xls", folder).read_bytes()


def test_fuzz_xls_reader(tmp_path: Path, xls_bytes: bytes, capfd):
    """Mutated .xls files: calamine errors and Rust panics become SheetErrors, quietly."""
    outcomes: dict[str, int] = {}
    for case in range(CASES):
        rng = random.Random(f"xls-{case}")
        path = tmp_path / f"xls-{case}.xls"
        path.write_bytes(_mutate_bytes(xls_bytes, rng))
        try:
            outcome = _run(path)
        except BaseException as e:  # pragma: no cover - a PanicException is a BaseException
            raise AssertionError(f"case xls-{case} raised {e!r}") from e
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert "panicked" not in capfd.readouterr().err  # Rust's panic message was not shown
    assert outcomes.get("refused", 0) > 0 and sum(outcomes.values()) == CASES
