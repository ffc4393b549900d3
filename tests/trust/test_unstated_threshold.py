"""A deduction "per point over" with no stated threshold is never guessed to start at 0."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from jixiao.authoring.importer import ImportOptions, import_table
from jixiao.rules.recognize import recognize_rule
from tests.builders import write_sheet

OPTIONS = ImportOptions(id="t", region="测试", year=2023, kind="部门整体支出")


def test_no_threshold_no_rule():
    assert recognize_rule("每超过一个百分点扣0.5分，扣完为止", D(3)) is None


def test_a_stated_upper_bound_is_the_threshold():
    rule = recognize_rule("在职人员控制率≤100%，得4分；每超过一个百分点扣0.5分，扣完为止。", D(4))
    assert rule is not None and rule.threshold == D(100) and rule.direction == "above"


def test_occurrences_still_count_from_zero():
    rule = recognize_rule("每出现一例不符合要求的扣1分，扣完为止", D(3))
    assert rule is not None and rule.threshold == 0


def test_import_keeps_the_text_and_warns(tmp_path: Path):
    rows = [
        ["一级指标", "二级指标", "分值", "评分标准"],
        ["投入", "预算完成率", 40, "按完成比例计算得分，满分为止"],
        [None, "在职人员控制率", 60, "每超过一个百分点扣0.5分，扣完为止"],
    ]
    r = import_table(write_sheet(tmp_path / "t.xlsx", rows, merges=["A2:A3"]), OPTIONS)
    assert r.ok
    node = r.framework.indicators[0].children[1]
    assert node.criteria == "每超过一个百分点扣0.5分，扣完为止" and node.rule is None
    assert [(f.code, f.position.cell, str(f.severity)) for f in r.findings] == [
        ("rule-threshold-unstated", "B3", "warning")
    ]
    assert "没有写明从多少开始算" in r.findings[0].message
