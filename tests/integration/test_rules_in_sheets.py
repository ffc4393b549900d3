"""Rules on fixed indicators of a 部门整体 framework, with raw data in a 实际完成值 column."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao.framework.load import load_framework
from jixiao.scoring.pipeline import score_file
from tests.builders import write_sheet

FRAMEWORK = """\
schema_version: 1
id: rules-dept
version: "1"
title: 规则示例
region: 测试
year: 2023
kind: 部门整体支出
source: {document: 测试}
total_points: 10
grades:
  - {label: 优, minimum: 9, maximum: 10}
  - {label: 差, minimum: 0, maximum: 9}
indicators:
  - name: 预算管理
    points: 10
    children:
      - name: 重点支出安排率
        points: 3
        rule: {kind: tiers, unit: "%", label: 重点支出安排率, otherwise: 0,
               tiers: [{range: "[90,)", points: 3}, {range: "[80,90)", points: 2}]}
      - name: 预算调整率
        points: 3
        rule: {kind: deduction, label: 预算调整率, unit: "%", threshold: 10, deduct: 0.5}
      - name: 制度建设
        points: 2
        rule: {kind: checklist, items: [{name: 有制度, points: 1}, {name: 有执行, points: 1}]}
      - name: 整改情况
        points: 2
        rule: {kind: qualitative}
"""

HEADER = ["一级指标", "二级指标", "实际完成值", "分值", "自评得分", "扣分原因"]
ROWS = [
    ["预算管理", "重点支出安排率", "85%", 3, 2, "安排率未达 90%"],
    ["预算管理", "预算调整率", "12.5%", 3, 1.75, "年中追加"],
    ["预算管理", "制度建设", "是,否", 2, 1, "制度未执行"],
    ["预算管理", "整改情况", "达成", 2, 2, None],
]


@pytest.fixture
def framework(tmp_path: Path):
    path = tmp_path / "rules-dept.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    return load_framework(path)


def score(tmp_path, framework, changes=None):
    rows = [list(r) for r in ROWS]
    for (r, c), value in (changes or {}).items():
        rows[r][c] = value
    return score_file(write_sheet(tmp_path / "s.xlsx", [HEADER, *rows]), framework)


def test_each_rule_scores_from_the_raw_data(tmp_path, framework):
    ev = score(tmp_path, framework)
    assert ev.findings == []
    r = ev.result
    assert [(n.name, n.score) for n in r.find("预算管理").children] == [
        ("重点支出安排率", D("2.00")),
        ("预算调整率", D("1.75")),
        ("制度建设", D("1.00")),
        ("整改情况", D("2.00")),
    ]
    assert (r.total, r.grade) == (D("6.75"), "差")
    assert r.find("预算管理", "预算调整率").explanation == (
        "预算调整率 12.5%，超过 10% 2.5 个百分点，每个百分点扣 0.5 分，扣 1.25，3 − 1.25 = 1.75"
    )
    assert r.find("预算管理", "制度建设").explanation == "①有制度 是 1；②有执行 否 0，合计 1.00"


def test_typed_scores_are_checked_against_the_rules(tmp_path, framework):
    ev = score(tmp_path, framework, {(0, 4): 3, (2, 2): "是,否,是"})
    assert [(f.code, f.cell) for f in ev.findings] == [
        ("rule-input-invalid", "C4"),
        ("rule-score-mismatch", "E2"),
    ]
    assert ev.result is None
    assert ev.findings[0].message == (
        "清单有 2 项（有制度、有执行），实际完成值“是,否,是”应按顺序逐项写“是”或“否”，共 2 个"
    )


def test_qualitative_band_on_a_fixed_indicator(tmp_path, framework):
    ev = score(tmp_path, framework, {(3, 2): "部分达成", (3, 4): 1.6})
    assert [(f.code, f.cell) for f in ev.findings] == [("qualitative-score-out-of-band", "E5")]
    assert "[1, 1.6) 分" in ev.findings[0].message
    ok = score(tmp_path, framework, {(3, 2): "部分达成", (3, 4): 1.5, (3, 5): "整改未完成"})
    assert ok.findings == [] and ok.result.total == D("6.25")


def test_template_of_a_rule_framework_has_an_actual_column(tmp_path, framework):
    from openpyxl import load_workbook

    from jixiao.write.template import write_template

    out = tmp_path / "t.xlsx"
    write_template(framework.framework, out)
    wb = load_workbook(out)
    ws = wb["自评表"]
    assert [c.value for c in ws[3]][:7] == [
        "一级指标",
        "二级指标",
        "实际完成值",
        "分值",
        "自评得分",
        "得分率（%）",
        "扣分原因",
    ]
    rows = {ws.cell(r, 2).value: r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value}
    for _, name, actual, _, score, reason in ROWS:
        ws.cell(rows[name], 3).value = actual
        ws.cell(rows[name], 5).value = score
        ws.cell(rows[name], 7).value = reason
    wb.save(out)
    ev = score_file(out, framework)
    assert ev.findings == []
    assert ev.result.total == D("6.75")
