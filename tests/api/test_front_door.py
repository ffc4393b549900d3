"""The Python front door: ``import jixiao`` and the notebook workflow the README shows."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal as D

import pytest

import jixiao
from jixiao.errors import SheetError, UsageError
from tests.builders import shaoguan_sheet
from tests.conftest import SHEETS

DEMO = SHEETS / "shaoguan-2023-kexie.xlsx"


def test_score_gives_total_grade_findings_and_a_short_repr():
    ev = jixiao.score(DEMO)
    assert (ev.total, ev.grade) == (D("98.81"), "优")
    assert [(f.code, f.cell) for f in ev.findings] == [("reported-rate-mismatch", "E4")]
    assert repr(ev) == "<Evaluation shaoguan-2023 98.81/100 优, 1 warning>"
    assert isinstance(ev, jixiao.Evaluation)


def test_to_frame_has_one_numeric_row_per_indicator():
    ev = jixiao.score(DEMO)
    frame = ev.to_frame()
    assert len(frame) == sum(1 for _ in ev.result.walk())
    assert list(frame.columns[:6]) == ["一级指标", "指标", "层级", "分值", "自评得分", "得分率（%）"]
    assert {str(frame[c].dtype) for c in ("分值", "自评得分", "得分率（%）")} == {"float64"}
    row = frame[frame["指标"] == "履职效能／整体效能"].iloc[0]
    assert (row["分值"], row["自评得分"], row["得分率（%）"], row["单元格"]) == (23.0, 22.31, 97.0, "D5")
    # Level-1 rows add up to the total the calculator rounded.
    assert round(frame[frame["层级"] == 1]["自评得分"].sum(), 2) == float(ev.total)


def test_findings_frame_and_to_dict_match_the_json_output():
    ev = jixiao.score(DEMO)
    findings = ev.findings_frame()
    assert findings.to_dict("records") == [
        {
            "代码": "reported-rate-mismatch",
            "级别": "警告",
            "工作表": "部门整体自评情况总表",
            "单元格": "E4",
            "指标": "合计",
            "说明": ev.findings[0].message,
        }
    ]
    data = ev.to_dict(produced_at="T")
    assert data["total"] == D("98.81") and data["provenance"]["produced_at"] == "T"
    assert data["provenance"]["source"]["sha256"] == ev.source.sha256


def test_a_sheet_with_errors_has_no_total_and_says_so(tmp_path):
    path = shaoguan_sheet(tmp_path / "bad.xlsx", {"D3": "abc"})
    ev = jixiao.score(path)
    assert ev.total is None and ev.grade is None and ev.errors
    assert repr(ev).startswith("<Evaluation shaoguan-2023 未评分, 1 error")
    assert ev.to_frame().empty
    with pytest.raises(UsageError, match="未评分"):
        ev.write(tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


def test_write_workbook_and_json_then_verify(tmp_path):
    sheet = shutil.copy(DEMO, tmp_path / "sheet.xlsx")
    ev = jixiao.score(sheet)
    book = ev.write(tmp_path / "结果.xlsx")
    data = json.loads(ev.write(tmp_path / "结果.json").read_text(encoding="utf-8"))
    assert data["total"] == 98.81 and data["grade"] == "优"
    assert jixiao.verify(book, [sheet]).ok
    assert jixiao.verify(tmp_path / "结果.json", [sheet]).ok
    with pytest.raises(UsageError):
        ev.write(sheet, force=True)  # never over the input
    with pytest.raises(UsageError, match=r"\.xlsx 或 \.json"):
        ev.write(tmp_path / "x.csv")


def test_score_batch_to_frame_is_numeric_and_in_input_order():
    summary = jixiao.score_batch(SHEETS)
    frame = summary.to_frame()
    assert str(frame["总分"].dtype) == "float64" and str(frame["框架内排名"].dtype) == "int64"
    assert dict(zip(frame["评价框架"], frame["总分"], strict=True))["shaoguan-2023"] == 98.81


def test_review_and_load_framework():
    fw = jixiao.load_framework("shaoguan-2023")
    assert fw.framework.total_points == D(100)
    with pytest.raises(SheetError, match="复核得分列"):
        jixiao.review(DEMO, framework=fw)


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError):
        _ = jixiao.no_such_thing
    assert {"score", "review", "score_batch", "verify", "load_framework", "__version__"} <= set(dir(jixiao))
