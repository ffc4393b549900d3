"""Sheets for review (复核) tests: the 韶关 layout with a reviewer's column, and a test framework
with a finance-scored indicator (财政赋分)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.builders import write_sheet

SHAOGUAN_LEAVES = [
    ("履职效能", "整体效能", 23),
    (None, "专项效能", 23),
    ("管理效率", "预算编制", 5),
    (None, "预算执行", 8),
    (None, "信息公开", 4),
    (None, "绩效管理", 10),
    (None, "采购管理", 10),
    (None, "资产管理", 10),
    (None, "运行成本", 7),
]
# Self 90.5 (优); the reviewer takes 2 points off 专项效能 and 0.5 off 资产管理: 88 (良).
SELF_90_5 = [20, 20, 5, 8, 4, 10, 10, 6.5, 7]
REVIEW_88 = [20, 18, 5, 8, 4, 10, 10, 6, 7]


def review_sheet(
    path: Path,
    self_scores: Sequence[Any],
    review_scores: Sequence[Any],
    *,
    reasons: dict[int, str] | None = None,
    self_reasons: dict[int, str] | None = None,
    review_header: str = "复核得分",
) -> Path:
    """The 韶关 table with 自评得分 (D), 扣分原因 (E), a reviewer column (F) and 复核意见 (G).

    Header on row 2, the nine 二级 rows on 3..11; ``reasons`` by index 0..8.
    """
    rows: list[list[Any]] = [
        ["韶关市科协 2023 年部门整体支出绩效自评复核表"],
        ["一级指标", "二级指标", "分值", "自评得分", "扣分原因", review_header, "复核意见"],
    ]
    for i, ((first, second, points), mine, theirs) in enumerate(
        zip(SHAOGUAN_LEAVES, self_scores, review_scores, strict=True)
    ):
        rows.append(
            [
                first,
                second,
                points,
                mine,
                (self_reasons or {}).get(i, "自评说明"),
                theirs,
                (reasons or {}).get(i),
            ]
        )
    return write_sheet(path, rows, merges=["A3:A4", "A5:A11"])


def scores_only(path: Path, scores: Sequence[Any], header: str = "自评得分") -> Path:
    """The 韶关 table with one score column (D) and a reason column (E)."""
    rows: list[list[Any]] = [
        ["韶关市科协 2023 年部门整体支出绩效自评表"],
        ["一级指标", "二级指标", "分值", header, "扣分原因"],
    ]
    for (first, second, points), score in zip(SHAOGUAN_LEAVES, scores, strict=True):
        rows.append([first, second, points, score, "说明"])
    return write_sheet(path, rows, merges=["A3:A4", "A5:A11"])


FINANCE_FRAMEWORK = """\
schema_version: 1
id: test-finance
version: "1"
title: 测试框架（含财政赋分指标）
region: 测试
year: 2024
kind: 部门整体支出
source: {document: 测试用，不是官方框架}
precision: 2
total_points: 100
grades:
  - {label: 优, minimum: 90, maximum: 100}
  - {label: 良, minimum: 80, maximum: 90}
  - {label: 中, minimum: 60, maximum: 80}
  - {label: 差, minimum: 0, maximum: 60}
indicators:
  - name: 预算管理
    points: 60
    children:
      - {name: 预算编制, points: 30}
      - {name: 预算执行率, points: 30, scored_by: finance}
  - name: 履职效能
    points: 40
    children:
      - {name: 产出, points: 20}
      - {name: 效益, points: 20}
"""


def finance_framework(folder: Path) -> Path:
    """Write the test framework with a finance-scored indicator (预算执行率)."""
    path = folder / "test-finance.yaml"
    path.write_text(FINANCE_FRAMEWORK, encoding="utf-8")
    return path


def finance_sheet(
    path: Path,
    self_scores: Sequence[Any],
    review_scores: Sequence[Any],
    reasons: dict[int, str] | None = None,
) -> Path:
    """A sheet for the test framework: rows 3..6 = 预算编制, 预算执行率, 产出, 效益."""
    leaves = [
        ("预算管理", "预算编制", 30),
        (None, "预算执行率", 30),
        ("履职效能", "产出", 20),
        (None, "效益", 20),
    ]
    rows: list[list[Any]] = [
        ["测试单位绩效自评复核表"],
        ["一级指标", "二级指标", "分值", "自评得分", "扣分原因", "财政评分", "复核意见"],
    ]
    for i, ((first, second, points), mine, theirs) in enumerate(
        zip(leaves, self_scores, review_scores, strict=True)
    ):
        rows.append([first, second, points, mine, "说明", theirs, (reasons or {}).get(i)])
    return write_sheet(path, rows, merges=["A3:A4", "A5:A6"])
