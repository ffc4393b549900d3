"""The framework's metadata on import: what the options say, else the 框架信息 sheet, else the title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.framework.models import Provenance
from jixiao.matching.sheet_tree import NATIONAL_GRADES, scaled_grades
from jixiao.matching.table_tree import _Node, _TableReader
from jixiao.read.table import SheetCell
from jixiao.values import NotANumber, parse_decimal, plain, why_not_a_number

__all__ = ["NATIONAL_GRADES", "ImportOptions", "MetadataReading"]

PLACEHOLDER_YEAR = 2000
"""Written when the table states no year: the framework still loads; a warning says to fix it."""
PLACEHOLDER_TEXT = "待填写"

_YEAR = re.compile(r"(20\d\d)")
_REGION = re.compile(r"^(.{2,12}?(?:省|自治区|市|州|盟|县|区|旗))")


@dataclass(frozen=True)
class ImportOptions:
    """Metadata given on the command line; each overrides what the table says."""

    id: str | None = None
    title: str | None = None
    region: str | None = None
    year: int | None = None
    kind: str | None = None
    version: str | None = None
    source_document: str | None = None
    sheet: str | None = None
    fallback_id: str | None = None
    """The id used when neither ``id`` nor the table gives one (the CLI: the output's name)."""
    provenance: Provenance | None = None
    """Where every 分值 of the table comes from (e.g. published for a bureau's own table)."""


class MetadataReading:
    """Builds the framework's top-level data (id, title, year, region, kind, source, grades)."""

    path: Path
    options: ImportOptions
    reader: _TableReader
    meta: dict[str, Any]
    grades: list[dict[str, Any]]
    notes: list[str]

    def add(self, code: str, at: SheetCell | None, node: _Node | None, **values: Any) -> None:
        """Record a finding (the importer's own, with the table's sheet and the node's path)."""
        raise NotImplementedError

    def _metadata(self) -> dict[str, Any]:
        o, meta, reader = self.options, self.meta, self.reader
        title = o.title or meta.get("title") or reader.title or self.path.stem
        year = o.year or meta.get("year")
        # A new year given for an exported table: a new framework, not the old one re-labelled.
        new_year = o.year is not None and meta.get("year") not in (None, o.year)
        if new_year and not o.title:
            title = title.replace(str(meta["year"]), str(o.year))
        if year is None:
            m = _YEAR.search(f"{title} {self.path.stem}")
            year = int(m.group(1)) if m else None
        if year is None:
            year = PLACEHOLDER_YEAR
            self.add(
                "framework-info-placeholder", None, None, field="年度", placeholder=year, option="--year"
            )
        region = o.region or meta.get("region")
        if region is None:
            m = _REGION.match(title)
            region = m.group(1) if m else None
        if region is None:
            region = PLACEHOLDER_TEXT
            self.add(
                "framework-info-placeholder", None, None, field="地区", placeholder=region, option="--region"
            )
        kind = (
            o.kind
            or meta.get("kind")
            or ("项目支出" if "项目支出" in title else "部门整体支出" if "部门整体" in title else None)
        )
        if kind is None:
            kind = PLACEHOLDER_TEXT
            self.add(
                "framework-info-placeholder", None, None, field="评价类型", placeholder=kind, option="--kind"
            )
        source = dict(meta.get("source", {}))
        if o.source_document:
            source["document"] = o.source_document
        source.setdefault("document", f"{self.path.name}（工作表 {reader.grid.sheet}）")
        if not self.grades:
            self.notes.append("表中没有等级区间，采用财预〔2020〕10号的通用划分（优/良/中/差）")
            stated_total = meta.get(
                "total_points",
                sum(
                    (n.points for n in reader.roots if n.bonus is None and n.points is not None),
                    Decimal(getattr(self, "funds_points", 0)),
                ),
            )
            if stated_total not in (0, 100):
                self.notes.append(
                    f"总分值为 {plain(Decimal(stated_total))}（不是 100）：等级区间按得分率同比例换算"
                )
            assumed = "等级区间采用财预〔2020〕10号的通用划分（assumed）。"
            source["notes"] = "\n".join(x for x in (source.get("notes"), assumed) if x)
        tops = [n.points for n in reader.roots if n.bonus is None and n.points is not None]
        total = sum(tops, Decimal(getattr(self, "funds_points", 0)))
        if reader.total_cell is not None and not any(n.failed for n in reader.roots):
            try:
                stated = parse_decimal(reader.total_cell.value)
            except NotANumber:
                shown, why = why_not_a_number(reader.total_cell.value)
                self.add("points-not-a-number", reader.total_cell, None, value=shown, why=why)
            else:
                if stated != total:
                    self.add(
                        "table-total-mismatch",
                        reader.total_cell,
                        None,
                        found=plain(stated),
                        expected=plain(total),
                    )
        return {
            "schema_version": 1,
            # The name the user chose (--id, else the output file's) wins over the exported id.
            "id": o.id or o.fallback_id or meta.get("id") or _slug(self.path.stem),
            "version": o.version
            or (None if new_year else meta.get("version"))
            or f"{year or ''}.1".lstrip("."),
            "title": title,
            "region": region,
            "year": year,
            "kind": kind,
            "source": source,
            "precision": meta.get("precision", 2),
            "rounding": "half_up",
            "total_points": meta.get("total_points", total),
            "grades": self.grades or scaled_grades(meta.get("total_points", total)),
            **meta.get("other", {}),
        }


def _slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "imported"
