"""Picking the framework from the indicator names."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from jixiao.errors import SheetError
from jixiao.framework.load import load_framework
from jixiao.scoring.pipeline import score_file
from tests.builders import write_sheet
from tests.conftest import FRAMEWORKS, SHEETS


def test_each_example_sheet_finds_its_framework():
    assert score_file(SHEETS / "shaoguan-2023-kexie.xlsx").framework.id == "shaoguan-2023"
    assert score_file(SHEETS / "guangzhou-2021-illustrative.xlsx").framework.id == "guangzhou-2021"


def test_unknown_sheet_is_scored_from_its_own_tree_and_lists_candidates(tmp_path):
    rows = [
        ["一级指标", "二级指标", "分值", "自评得分"],
        ["产出", "数量", 50, 40],
        ["效益", "社会效益", 50, 45],
    ]
    ev = score_file(write_sheet(tmp_path / "x.xlsx", rows))
    assert ev.from_sheet and ev.framework.id == "sheet"
    assert (ev.total, ev.grade) == (Decimal("85.00"), "良")
    notes = " ".join(ev.sheet_tree.notes)
    assert "shaoguan-2023" in notes and "guangzhou-2021" in notes and "--framework" not in notes


def test_ambiguous_sheet_lists_candidates(tmp_path):
    twin = tmp_path / "shaoguan-2023-copy.yaml"
    text = (FRAMEWORKS / "shaoguan-2023.yaml").read_text(encoding="utf-8")
    twin.write_text(text.replace("id: shaoguan-2023", "id: shaoguan-2023-copy"), encoding="utf-8")
    frameworks = [load_framework("shaoguan-2023"), load_framework(twin)]
    with pytest.raises(SheetError, match="多个评价框架") as info:
        score_file(SHEETS / "shaoguan-2023-kexie.xlsx", frameworks=frameworks)
    assert "shaoguan-2023-copy" in str(info.value)


def test_year_in_title_breaks_a_tie(tmp_path):
    text = (FRAMEWORKS / "shaoguan-2023.yaml").read_text(encoding="utf-8")
    later = tmp_path / "shaoguan-2024.yaml"
    later.write_text(
        text.replace("id: shaoguan-2023", "id: shaoguan-2024").replace("year: 2023", "year: 2024"),
        encoding="utf-8",
    )
    frameworks = [load_framework("shaoguan-2023"), load_framework(later)]
    ev = score_file(SHEETS / "shaoguan-2023-kexie.xlsx", frameworks=frameworks)
    assert ev.framework.id == "shaoguan-2023"


def test_framework_by_path_outside_frameworks_folder(tmp_path):
    copy = tmp_path / "my-framework.yaml"
    shutil.copy(FRAMEWORKS / "shaoguan-2023.yaml", copy)
    ev = score_file(SHEETS / "shaoguan-2023-kexie.xlsx", copy)
    assert ev.framework.path == copy.resolve() and not ev.framework_detected
