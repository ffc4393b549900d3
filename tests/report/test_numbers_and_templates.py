"""Figure formatting and the wording templates (defaults, overrides, every problem reported)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.errors import UsageError
from jixiao.report.numbers import figure, fixed, plain
from jixiao.report.wording import chinese_numeral, load_templates


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("98.50", "98.5"),
        ("53.50", "53.5"),
        ("99.07", "99.07"),
        ("100.00", "100"),
        ("0.00", "0"),
        ("23", "23"),
        ("9.5", "9.5"),
        ("-2.31", "-2.31"),
        ("120.10", "120.1"),
    ],
)
def test_plain_writes_figures_as_the_reports_do(value, shown):
    assert plain(D(value)) == shown


def test_fixed_pads_to_the_precision_and_figure_handles_missing():
    assert fixed(D("23"), 2) == "23.00"
    assert fixed(D("98.5"), 2) == "98.50"
    assert figure(None, "plain", 2) == "—"
    assert figure(D("97.00"), "fixed", 2) == "97.00"
    assert figure(D("97.00"), "plain", 2) == "97"


def test_chinese_numerals():
    assert [chinese_numeral(n) for n in (1, 2, 10, 11, 20, 35)] == [
        "一",
        "二",
        "十",
        "十一",
        "二十",
        "三十五",
    ]


def test_default_wording_fills_the_report_sentences():
    t = load_templates()
    assert t.ordinal(1) == "（一）"
    values = dict(
        unit="",
        max="100",
        total="98.81",
        grade="优",
        bonus="0",
        kind="部门整体支出",
        scope="部门整体",
        subject="本部门",
    )
    assert t.say("total", **values) == "本部门本次自评综合得分为 98.81 分，绩效等级为“优”。"
    assert t.fonts.body == "仿宋_GB2312" and t.fonts.table == "宋体"


def test_override_file_changes_only_its_entries(tmp_path):
    path = tmp_path / "局.yaml"
    path.write_text(
        'total: "经综合评定，自评得分 {total} 分，等级为{grade}。"\n'
        'fonts: {body: 仿宋_GB2312}\nnumbers: {table: fixed}\nordinal: "{n}."\n',
        encoding="utf-8",
    )
    t = load_templates(path)
    assert t.say("total", unit="", max="", total="98.81", grade="优", bonus="") == (
        "经综合评定，自评得分 98.81 分，等级为优。"
    )
    assert (t.fonts.body, t.fonts.table) == ("仿宋_GB2312", "宋体")
    assert (t.text_numbers, t.table_numbers) == ("plain", "fixed")
    assert t.ordinal(2) == "2."
    assert t.sentences["lost_heading"] == load_templates().sentences["lost_heading"]


def test_a_folder_with_zh_yaml_is_accepted(tmp_path):
    (tmp_path / "zh.yaml").write_text('lost_none: "无扣分指标。"\n', encoding="utf-8")
    assert load_templates(tmp_path).sentences["lost_none"] == "无扣分指标。"


def test_every_problem_in_an_override_is_listed_with_file_and_entry(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("totl: x\ncolumns: {pionts: 分}\n", encoding="utf-8")
    with pytest.raises(UsageError) as e:
        load_templates(path)
    message = str(e.value)
    assert str(path) in message and "2 个问题" in message
    assert "totl: 没有这个条目" in message and "columns.pionts: 没有这个条目" in message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('"得分 {totl} 分"', "不认识的占位符 {totl}"),
        ('"{total.__class__}"', "不认识的占位符 {total.__class__}"),
        ('"{total:>10}"', "不认识的占位符 {total:>10}"),
        ('"得分 {total 分"', "花括号不成对"),
    ],
)
def test_bad_placeholders_are_rejected(tmp_path, text, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(f"total: {text}\n", encoding="utf-8")
    with pytest.raises(UsageError, match="total: ") as e:
        load_templates(path)
    assert fragment in str(e.value)


def test_bad_number_style_and_missing_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("numbers: {text: round}\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"numbers\.text: 应为 plain 或 fixed"):
        load_templates(path)
    with pytest.raises(UsageError, match="找不到报告模板文件"):
        load_templates(tmp_path / "none.yaml")
    (tmp_path / "list.yaml").write_text("- a\n", encoding="utf-8")
    with pytest.raises(UsageError, match="映射"):
        load_templates(tmp_path / "list.yaml")


def test_every_kind_of_problem_in_one_pass_with_its_line(tmp_path):
    # Unknown entries used to be reported alone; the placeholders and styles only once they
    # were mended.
    path = tmp_path / "bad.yaml"
    path.write_text(
        'totl: x\ncolumns: {pionts: 分}\ntotal: "{score} 分"\nnumbers: {text: round}\nfonts: 宋体\n',
        encoding="utf-8",
    )
    with pytest.raises(UsageError) as e:
        load_templates(path)
    lines = str(e.value).splitlines()
    assert lines[0] == f"报告模板文件 {path} 有 5 个问题："
    assert lines[1:3] == ["  - 第 1 行 totl: 没有这个条目", "  - 第 2 行 columns.pionts: 没有这个条目"]
    assert lines[3].startswith("  - 第 3 行 total: 不认识的占位符 {score}")
    assert lines[4] == "  - 第 4 行 numbers.text: 应为 plain 或 fixed，实际为 'round'"
    assert lines[5] == "  - 第 5 行 fonts: 应是一组“条目: 文字”"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('total "x"\nlost_none: y\n', "第 2 行第 10 列：这里不能再出现“: ”"),
        ("total: [x\n", "方括号“[”没有闭合"),
        ("\ttotal: x\n", "制表符"),
    ],
)
def test_yaml_errors_in_templates_are_in_chinese(tmp_path, text, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as e:
        load_templates(path)
    assert str(path) in str(e.value) and fragment in str(e.value)
    assert "mapping values" not in str(e.value) and "expected" not in str(e.value)


def test_a_gbk_template_file_is_named_with_its_line(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes('total: "x"\nlost_none: 无扣分\n'.encode("gbk"))
    with pytest.raises(UsageError, match="第 2 行不是 UTF-8 编码"):
        load_templates(path)
