"""jixiao frameworks import / export / diff from the command line: exit codes and files."""

from __future__ import annotations

import subprocess

import pytest
from openpyxl import load_workbook

from jixiao.cli import main
from jixiao.framework.load import parse_framework
from jixiao.scoring.pipeline import score_file
from tests.builders import write_sheet
from tests.conftest import FRAMEWORKS, SHEETS, convert_with_soffice

GOOD = [
    ["某市 2024 年部门整体支出绩效评价指标体系"],
    ["一级指标", "二级指标", "分值", "评分标准"],
    ["投入（20分）", "预算配置", 20, "- 每超一个百分点扣0.5分: #注 {x}"],
    ["产出（80分）", "职责履行", 80, "按完成比例计算得分，满分为止"],
]


def test_import_writes_a_framework_that_passes_check(tmp_path, capsys):
    table = write_sheet(tmp_path / "表.xlsx", GOOD)
    before = table.read_bytes()
    out = tmp_path / "city-2024.yaml"
    args = ["frameworks", "import", str(table), "-o", str(out), "--region", "某市"]
    assert main([*args, "--provenance", "official"]) == 2
    assert "--provenance 应为" in capsys.readouterr().err
    assert main([*args, "--provenance", "published"]) == 0
    assert "已生成" in capsys.readouterr().out
    fw = parse_framework(out.read_bytes())
    assert {str(n.provenance) for _, n in fw.walk()} == {"published"}
    assert (fw.id, fw.year, fw.total_points) == ("city-2024", 2024, 100)
    # Text with YAML syntax in it comes back as the same text.
    assert fw.indicators[0].children[0].criteria == "- 每超一个百分点扣0.5分: #注 {x}"
    assert table.read_bytes() == before
    text = out.read_text(encoding="utf-8")
    assert "投入" in text and "\\u" not in text
    assert main(["frameworks", "check", str(out)]) == 0


def test_import_of_a_bad_table_lists_findings_and_writes_nothing(tmp_path, capsys):
    rows = [r[:] for r in GOOD]
    rows[3][2] = 70
    table = write_sheet(tmp_path / "表.xlsx", rows)
    out = tmp_path / "city-2024.yaml"
    assert main(["frameworks", "import", str(table), "-o", str(out), "--region", "某市"]) == 2
    err = capsys.readouterr().err
    assert "A4" in err and "children-points-sum" in err and "70" in err and "未生成框架文件" in err
    assert not out.exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_import_refuses_to_overwrite(tmp_path, capsys):
    table = write_sheet(tmp_path / "t.xlsx", GOOD)
    out = tmp_path / "x.yaml"
    out.write_text("old", encoding="utf-8")
    assert main(["frameworks", "import", str(table), "-o", str(out), "--region", "某市"]) == 2
    assert out.read_text(encoding="utf-8") == "old"
    assert main(["frameworks", "import", str(table), "-o", str(table)]) == 2
    assert "输入文件" in capsys.readouterr().err


def test_import_of_something_that_is_not_a_workbook(tmp_path, capsys):
    bad = tmp_path / "t.xlsx"
    bad.write_bytes(b"not a zip")
    assert main(["frameworks", "import", str(bad), "-o", str(tmp_path / "x.yaml")]) == 2
    assert "不是 Excel 工作簿" in capsys.readouterr().err


def test_export_then_import_from_the_command_line(tmp_path):
    table = tmp_path / "gz.xlsx"
    assert main(["frameworks", "export", "guangzhou-2021", "-o", str(table)]) == 0
    assert main(["frameworks", "export", "guangzhou-2021", "-o", str(table)]) == 2  # exists
    out = tmp_path / "gz.yaml"  # the id comes from --id, else the output's name
    assert main(["frameworks", "import", str(table), "-o", str(out), "--id", "guangzhou-2021"]) == 0
    assert main(["frameworks", "diff", "guangzhou-2021", str(out)]) == 0


def test_diff_exit_codes(tmp_path, capsys):
    assert main(["frameworks", "diff", "shaoguan-2023", "shaoguan-2023"]) == 0
    assert "相同" in capsys.readouterr().out
    changed = tmp_path / "sg.yaml"
    text = (FRAMEWORKS / "shaoguan-2023.yaml").read_text(encoding="utf-8")
    changed.write_text(
        text.replace("name: 预算编制, points: 5", "name: 预算编制, points: 6").replace(
            "name: 运行成本, points: 7", "name: 运行成本, points: 6"
        ),
        encoding="utf-8",
    )
    assert main(["frameworks", "diff", "shaoguan-2023", str(changed)]) == 1
    out = capsys.readouterr().out
    assert "分值调整 管理效率／预算编制：5 → 6" in out
    assert main(["frameworks", "diff", "shaoguan-2023", str(tmp_path / "missing.yaml")]) == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("points: 46", "points: 45"), encoding="utf-8")
    assert main(["frameworks", "diff", "shaoguan-2023", str(broken)]) == 2


def test_diff_json(capsys):
    assert main(["frameworks", "diff", "shaoguan-2023", "guangzhou-2021", "--json"]) == 1
    import json

    data = json.loads(capsys.readouterr().out)
    added = {
        "kind": "added",
        "path": ["加减分项"],
        "field": None,
        "old": None,
        "new": "加减分 -5～5",
        "message": "新增指标 加减分项（分值 加减分 -5～5）",
    }
    assert added in data["changes"]


def test_generic_framework_does_not_confuse_detection():
    assert main(["frameworks", "check", str(FRAMEWORKS / "generic-department-2020.yaml")]) == 0
    assert score_file(SHEETS / "shaoguan-2023-kexie.xlsx").framework.id == "shaoguan-2023"
    assert score_file(SHEETS / "guangzhou-2021-illustrative.xlsx").framework.id == "guangzhou-2021"


def test_export_renders_in_libreoffice(soffice, tmp_path):
    table = tmp_path / "generic.xlsx"
    assert main(["frameworks", "export", "generic-department-2020", "-o", str(table)]) == 0
    pdf = convert_with_soffice(soffice, table, "pdf", tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for word in ("指标体系表", "重点支出安排率", "重点工作办结率", "合计", "第 1 页"):
        assert word in text
    # What LibreOffice shows for the 合计 is the framework's total.
    utf8_csv = "csv:Text - txt - csv (StarCalc):44,34,76"
    csv = convert_with_soffice(soffice, table, utf8_csv, tmp_path)
    total_row = next(line for line in csv.read_text(encoding="utf-8").splitlines() if line.startswith("合计"))
    assert ",100," in total_row


@pytest.mark.parametrize("name", ["shaoguan-2023", "generic-department-2020"])
def test_exported_table_has_a_print_title(tmp_path, name):
    table = tmp_path / "t.xlsx"
    assert main(["frameworks", "export", name, "-o", str(table)]) == 0
    ws = load_workbook(table)["指标体系表"]
    assert ws.print_title_rows == "$3:$3" and int(ws.page_setup.paperSize) == 9  # A4
