"""``frameworks import`` on a table where one kind of warning repeats on every row: the first
few are printed, then how many more (as ``jixiao score`` prints findings)."""

from __future__ import annotations

from jixiao.cli import main
from tests.builders import write_sheet


def test_a_repeated_warning_is_shown_five_times_then_counted(tmp_path, capsys):
    rows = [["一级指标", "二级指标", "分值", "评分标准"]]
    rows += [["投入（100分）", f"指标{i}", 10, "每超过一个百分点扣0.5分，扣完为止"] for i in range(10)]
    table = write_sheet(tmp_path / "t.xlsx", rows, merges=["A2:A11"])
    out = tmp_path / "many-2024.yaml"
    assert (
        main(["frameworks", "import", str(table), "-o", str(out), "--region", "某市", "--year", "2024"]) == 0
    )
    err = capsys.readouterr().err
    assert err.count("[rule-threshold-unstated]") == 5
    assert "…… 另有 5 条同类问题（rule-threshold-unstated）" in err
    assert out.exists()
