"""权重 × 百分制: 一级 weights in percent, children scored per 100 inside each 一级 (exact)."""

from decimal import Decimal as D

import yaml

from jixiao.framework.check import check_framework
from jixiao.framework.load import load_framework
from jixiao.scoring.pipeline import score_file
from tests.builders import write_sheet

FRAMEWORK = {
    "schema_version": 1,
    "id": "weighted-demo",
    "version": "1",
    "title": "权重×百分制示例",
    "region": "某市",
    "year": 2019,
    "kind": "项目支出",
    "source": {"document": "示例（illustrative）"},
    "total_points": 100,
    "grades": [
        {"label": "优", "minimum": 90, "maximum": 100},
        {"label": "良", "minimum": 80, "maximum": 90},
        {"label": "中", "minimum": 60, "maximum": 80},
        {"label": "差", "minimum": 0, "maximum": 60},
    ],
    "indicators": [
        {
            "name": "投入",
            "points": 30,
            "children_scale": 100,
            "children": [{"name": "预算编制", "points": 60}, {"name": "资金到位", "points": 40}],
        },
        {
            "name": "产出",
            "points": 70,
            "children_scale": 100,
            "children": [{"name": "完成数量", "points": 100}],
        },
    ],
}


def _framework(tmp_path, data=FRAMEWORK):
    path = tmp_path / "weighted-demo.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_framework(path)


def test_children_per_100_are_weighted_into_the_parent_exactly(tmp_path):
    fw = _framework(tmp_path)
    assert check_framework(fw.framework) == []
    rows = [
        ["一级指标", "二级指标", "分值", "自评得分"],
        ["投入", "预算编制", 60, 54],
        [None, "资金到位", 40, 40],
        ["产出", "完成数量", 100, 81],
    ]
    ev = score_file(write_sheet(tmp_path / "s.xlsx", rows, merges=["A2:A3"]), fw)
    assert ev.findings == []
    r = ev.result
    # 投入: (54 + 40) ÷ 100 × 30 = 28.2; 产出: 81 ÷ 100 × 70 = 56.7; total 84.9 → 良
    assert r.find("投入").score == D("28.20") and r.find("投入").rate == D("94.00")
    assert r.find("产出").score == D("56.70")
    assert (r.total, r.grade) == (D("84.90"), "良")
    assert r.find("投入", "预算编制").rate == D("90.00")


def test_children_must_add_up_to_their_scale(tmp_path):
    data = {**FRAMEWORK, "indicators": [dict(FRAMEWORK["indicators"][0]), FRAMEWORK["indicators"][1]]}
    data["indicators"][0]["children"] = [
        {"name": "预算编制", "points": 60},
        {"name": "资金到位", "points": 30},
    ]
    from jixiao.errors import FrameworkError

    try:
        _framework(tmp_path, data)
    except FrameworkError as e:
        assert "90" in str(e) and "100" in str(e) and "百分制" in str(e)
    else:
        raise AssertionError("a scaled node whose children add to 90 must be refused")


def test_export_then_import_keeps_the_scale(tmp_path):
    from jixiao.cli import main

    fw = _framework(tmp_path)
    table = tmp_path / "t.xlsx"
    out = tmp_path / "back.yaml"
    assert main(["frameworks", "export", str(fw.path), "-o", str(table)]) == 0
    assert main(["frameworks", "import", str(table), "-o", str(out)]) == 0
    back = load_framework(out).framework
    assert [n.children_scale for n in back.indicators] == [D(100), D(100)]
