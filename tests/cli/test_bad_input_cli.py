"""The CLI on bad input: a Chinese message naming the file, exit code 1, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.cli import main
from tests import hostile as H
from tests.builders import shaoguan_sheet


def _empty(p: Path, good: Path) -> Path:
    p.write_bytes(b"")
    return p


def _pdf(p: Path, good: Path) -> Path:
    p.write_bytes(b"%PDF-1.4\n")
    return p


def _laughs(p: Path, good: Path) -> Path:
    return H.with_prolog(good, p, "xl/worksheets/sheet1.xml", H.BILLION_LAUGHS)


CASES = {
    "empty": (_empty, "空的"),
    "pdf": (_pdf, "PDF"),
    "truncated": (lambda p, g: H.truncated(g, p), "损坏"),
    "corrupt-part": (lambda p, g: H.corrupt_part(g, p), "损坏"),
    "encrypted": (lambda p, g: H.encrypted(g, p), "加密"),
    "zip-bomb": (lambda p, g: H.zip_bomb(g, p), "压缩炸弹"),
    "entity-bomb": (_laughs, "文档类型声明"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_file_gives_message_and_exit_1(tmp_path: Path, capsys, case: str):
    make, word = CASES[case]
    good = shaoguan_sheet(tmp_path / "good.xlsx")
    bad = make(tmp_path / f"{case}.xlsx", good)
    out = tmp_path / "结果.xlsx"
    code = main(["score", str(bad), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert err.startswith(f"错误：{bad}："), err
    assert word in err
    assert "Traceback" not in err and "内部错误" not in err
    assert not out.exists()


def test_json_mode_also_exits_1_with_message(tmp_path: Path, capsys):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a workbook at all")
    code = main(["score", str(bad), "--json"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert f"{bad}：" in captured.err and "文本文件" in captured.err


def test_sheet_with_cell_errors_exits_1_with_cells(tmp_path: Path, capsys):
    path = shaoguan_sheet(tmp_path / "e.xlsx", {"D4": "#DIV/0!", "D3": "=1+1"})
    code = main(["score", str(path), "--json"])
    out = capsys.readouterr().out
    assert code == 1
    assert '"code": "cell-error-value"' in out and '"cell": "D4"' in out
    assert '"code": "formula-without-value"' in out and '"cell": "D3"' in out
