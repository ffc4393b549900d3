"""Unit names in their common forms, and one name for score, review, report and batch."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.batch.run import score_one
from jixiao.scoring.pipeline import score_file
from jixiao.write.result import _unit
from tests.builders import shaoguan_sheet


@pytest.mark.parametrize(
    "cell",
    [
        "填报单位（盖章）：韶关市科协",
        "填报单位(盖章):韶关市科协",
        "单位名称（公章）：韶关市科协",
        "填报单位（盖章）：韶关市科协      填报日期：2024年3月1日",
        "申报单位：韶关市科协",
    ],
)
def test_common_unit_name_forms(tmp_path: Path, cell: str):
    path = shaoguan_sheet(tmp_path / "s.xlsx", {"A1": cell})
    ev = score_file(path, "shaoguan-2023")
    assert ev.table.unit_name == "韶关市科协"
    assert _unit(ev) == "韶关市科协"
    assert score_one(path).unit == "韶关市科协"


def test_without_a_unit_name_every_command_uses_the_file_name(tmp_path: Path):
    path = shaoguan_sheet(tmp_path / "某局.xlsx")  # row 1 is only the table's title
    ev = score_file(path, "shaoguan-2023")
    assert _unit(ev) == "某局" == score_one(path).unit
