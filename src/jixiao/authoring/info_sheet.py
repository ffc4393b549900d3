"""The 框架信息 sheet of an exported 指标体系表: its format, and reading it back.

``jixiao frameworks export`` writes it (:mod:`.exporter`), ``frameworks import`` reads it (here),
``frameworks diff`` shows its labels (:mod:`.diff`): what a printed table has no column for
(metadata, grade bands, aliases, provenance, 加减分 limits) survives the round trip.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from jixiao import findings as F
from jixiao.findings import Finding, Position
from jixiao.framework.models import ChildrenFromSheet, Provenance
from jixiao.matching.table_tree import cell_text
from jixiao.read.grid import Grid, cell_ref
from jixiao.values import NotANumber, clean_text, is_blank, name_key, parse_decimal

INFO_SHEET = "框架信息"

PATH_SEPARATOR = "／"

# Metadata rows of the 框架信息 sheet: label → framework key (source.* nested).
INFO_FIELDS: dict[str, str] = {
    "框架标识": "id",
    "版本": "version",
    "名称": "title",
    "地区": "region",
    "年度": "year",
    "类型": "kind",
    "来源文件": "source.document",
    "文件依据": "source.reference",
    "来源说明": "source.notes",
    "计算精度（小数位）": "precision",
    "总分": "total_points",
    "其他（JSON）": "other",
}

GRADE_HEADER = ("等级", "下限", "上限", "别名")

ATTRIBUTE_HEADER = (
    "指标",
    "别名",
    "分值来源",
    "下级指标",
    "加减分下限",
    "加减分上限",
    "加减分后总分可超过满分",
    "加减分依据",
    "加减分说明",
    "备注",
    "其他（JSON）",
    "导出时分值",
)
"""The last column keeps the 分值 a provenance was stated for: a 分值 changed by hand loses it."""

EXPORTED_POINTS = "exported_points"

PROVENANCE_LABELS = {
    Provenance.PUBLISHED: "公开数据",
    Provenance.INFERRED: "推断",
    Provenance.ASSUMED: "假设",
    Provenance.ILLUSTRATIVE: "示例",
}

CHILDREN_LABELS = {
    ChildrenFromSheet.NO: "固定",
    ChildrenFromSheet.ALLOWED: "可由评分表增设",
    ChildrenFromSheet.REQUIRED: "须由评分表列出",
}

YES, NO = "是", "否"


class InfoSheetReading:
    """Reads the 框架信息 sheet into metadata, grade bands and per-indicator attributes."""

    findings: list[Finding]
    meta: dict[str, Any]
    grades: list[dict[str, Any]]
    attributes: dict[tuple[str, ...], dict[str, Any]]
    known_paths: set[tuple[str, ...]] | dict[tuple[str, ...], Any]

    def _read_info(self, grid: Grid) -> None:
        section = "meta"
        for r, line in grid.iter_rows():
            first = clean_text(line[0] if line else None)
            heads = tuple(clean_text(v) for v in line[: len(ATTRIBUTE_HEADER)])
            if heads[: len(GRADE_HEADER)] == GRADE_HEADER:
                section = "grades"
                continue
            if heads[:2] == ATTRIBUTE_HEADER[:2]:
                section = "attributes"
                continue
            if not first:
                continue
            get = _getter(line)
            if section == "meta":
                self._info_value(grid, r, first, get(1))
            elif section == "grades":
                self.grades.append(
                    {
                        "label": first,
                        "minimum": self._number(grid, r, 2, get(1), "等级下限"),
                        "maximum": self._number(grid, r, 3, get(2), "等级上限"),
                        "aliases": _split_list(get(3)),
                    }
                )
            else:
                self._attribute_row(grid, r, first, [get(i) for i in range(len(ATTRIBUTE_HEADER))])

    def _info_error(self, grid: Grid, r: int, c: int, field: str, value: object, reason: str) -> None:
        self.findings.append(
            F.make(
                "framework-info-invalid",
                position=Position(grid.sheet, cell_ref(r, c)),
                field=field,
                value=clean_text(value),
                reason=reason,
            )
        )

    def _number(self, grid: Grid, r: int, c: int, value: object, field: str) -> Decimal | None:
        try:
            return parse_decimal(value)
        except NotANumber as e:
            self._info_error(grid, r, c, field, value, str(e))
            return None

    def _info_value(self, grid: Grid, r: int, label: str, value: object) -> None:
        key = INFO_FIELDS.get(label)
        if key is None or is_blank(value):
            return
        if key in ("year", "precision"):
            number = self._number(grid, r, 2, value, label)
            if number is not None:
                self.meta[key] = int(number)
        elif key == "total_points":
            self.meta[key] = self._number(grid, r, 2, value, label)
        elif key == "other":
            try:
                other = json.loads(str(value))
                if not isinstance(other, dict):
                    raise ValueError("not an object")
            except ValueError:
                self._info_error(grid, r, 2, label, value, "不是 JSON 对象")
            else:
                self.meta["other"] = other
        elif key.startswith("source."):
            self.meta.setdefault("source", {})[key.split(".", 1)[1]] = cell_text(value)
        else:
            self.meta[key] = clean_text(value)

    def _attribute_row(self, grid: Grid, r: int, path_text: str, values: list[Any]) -> None:
        path = tuple(name_key(p) for p in path_text.split(PATH_SEPARATOR))
        attrs: dict[str, Any] = {}
        aliases = _split_list(values[1])
        if aliases:
            attrs["aliases"] = aliases
        for c, mapping, key in (
            (3, PROVENANCE_LABELS, "provenance"),
            (4, CHILDREN_LABELS, "children_from_sheet"),
        ):
            text = clean_text(values[c - 1])
            if text:
                found = next((k for k, v in mapping.items() if v == text or k.value == text), None)
                if found is None:
                    self._info_error(
                        grid, r, c, ATTRIBUTE_HEADER[c - 1], text, f"应为 {'、'.join(mapping.values())} 之一"
                    )
                else:
                    attrs[key] = found.value
        if not is_blank(values[4]) or not is_blank(values[5]):
            bonus: dict[str, Any] = {
                "minimum": self._number(grid, r, 5, values[4], "加减分下限"),
                "maximum": self._number(grid, r, 6, values[5], "加减分上限"),
                "total_may_exceed_max": clean_text(values[6]) == YES,
            }
            if clean_text(values[7]):
                text = clean_text(values[7])
                found = next((k for k, v in PROVENANCE_LABELS.items() if v == text), None)
                if found is not None:
                    bonus["provenance"] = found.value
            if cell_text(values[8]):
                bonus["note"] = cell_text(values[8])
            attrs["bonus"] = bonus
        if cell_text(values[9]):
            attrs["note"] = cell_text(values[9])
        if not is_blank(values[10]):
            try:
                other = json.loads(str(values[10]))
                if not isinstance(other, dict):
                    raise ValueError("not an object")
            except ValueError:
                self._info_error(grid, r, 11, "其他（JSON）", values[10], "不是 JSON 对象")
            else:
                attrs["other"] = other
        if not is_blank(values[11]):
            exported = self._number(grid, r, 12, values[11], "导出时分值")
            if exported is not None:
                attrs[EXPORTED_POINTS] = exported
        if path not in self.known_paths:
            self._info_error(
                grid,
                r,
                1,
                "指标",
                path_text,
                "指标体系表中没有这个指标（若在表中改了名称，请在此处一并修改）",
            )
        self.attributes[path] = attrs


def _getter(line: list[Any]) -> Callable[[int], Any]:
    """Cell values of a row by 0-based column, None past its end."""
    return lambda c: line[c] if c < len(line) else None


def _split_list(value: object) -> list[str]:
    return [p.strip() for p in re.split(r"[、,，]", clean_text(value)) if p.strip()]
