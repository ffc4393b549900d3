"""Framework import (issue 7) with the real rule recogniser: 评分标准 text becomes rules that
load, round-trip through YAML, and score a sheet's raw data."""

from __future__ import annotations

from decimal import Decimal as D

from jixiao.authoring.importer import ImportOptions, import_table
from jixiao.authoring.yamlout import dump_framework
from jixiao.framework.load import LoadedFramework, parse_framework
from jixiao.framework.rule_models import DeductionRule, ProportionalRule, TiersRule
from jixiao.scoring.pipeline import score_file
from tests.builders import write_sheet

TABLE = [
    ["一级指标", "二级指标", "分值", "评分标准"],
    ["投入", "预算完成率", 40, "按完成比例计算得分，满分为止"],
    [None, "在职人员控制率", 30, "在职人员控制率超过100%的，每超过一个百分点扣0.5分，扣完为止"],
    [None, "重点支出安排率", 30, "≥90%得30分，80%（含）-90%得20分，低于80%不得分"],
]


def test_imported_rules_load_and_score(tmp_path):
    options = ImportOptions(id="imported-rules", region="测试", year=2023, kind="部门整体支出")
    result = import_table(write_sheet(tmp_path / "table.xlsx", TABLE, merges=["A2:A4"]), options)
    assert result.findings == [] and result.rules_recognised == 3
    text = dump_framework(result.framework)
    assert "form:" not in text  # an unset optional field is not written
    fw = parse_framework(text)
    rules = [c.rule for c in fw.indicators[0].children]
    assert [type(r) for r in rules] == [ProportionalRule, DeductionRule, TiersRule]
    assert rules == [c.rule for c in result.framework.indicators[0].children]

    path = tmp_path / "imported-rules.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = LoadedFramework(fw, path, "0" * 64)
    sheet = write_sheet(
        tmp_path / "sheet.xlsx",
        [
            ["一级指标", "二级指标", "年度指标值", "实际完成值", "分值", "自评得分", "扣分原因"],
            ["投入", "预算完成率", "100%", "95%", 40, 38, "部分资金未拨付"],
            ["投入", "在职人员控制率", None, "102%", 30, 29, "超编 2%"],
            ["投入", "重点支出安排率", None, "85%", 30, 20, "安排率不足"],
        ],
    )
    ev = score_file(sheet, loaded)
    assert ev.findings == []
    assert [(n.name, n.score) for n in ev.result.find("投入").children] == [
        ("预算完成率", D("38.00")),
        ("在职人员控制率", D("29.00")),
        ("重点支出安排率", D("20.00")),
    ]
    assert ev.result.total == D("87.00")
