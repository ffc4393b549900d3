"""The 核验记录 format: a record of what a result was produced from, written and read back.

Every result workbook carries a 核验记录 on its own (hidden) sheet and every JSON output a
``provenance`` object: the SHA-256 of each input file, the framework id, version and file hash,
the options, the jixiao version and the time. The 核验记录 also lists every figure as text, so that
:func:`jixiao.verifying.verify` can re-score the inputs and compare figure by figure. The
record shows whether a result matches its inputs; it is not a signature (anyone can edit a workbook).

Two SHA-256 check values close the record: one over the record's own rows and one over the
cells of the 信息 sheet a person reads, so an edit to either is noticed by ``verify`` (someone
who recomputes them on purpose is not stopped: this is a check against mistakes and casual
edits, not a seal). Results written before the record had its own sheet keep it at the foot of
信息 and are still read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.errors import SheetError, UsageError
from jixiao.read.openpyxl_reader import open_workbook
from jixiao.write import xlsx

INFO_SHEET = "信息"
RECORD_SHEET = "核验记录"
RECORD_TITLE = "核验记录"
RECORD_NOTE = "jixiao verify 用以下数据核对结果与输入文件，请勿修改（末尾的校验值会发现改动）。"
_PROVENANCE = "provenance"
_FIGURE = "figure"
_DIGEST = "digest"
_RECORD_DIGEST = "record.sha256"
_INFO_DIGEST = "信息.sha256"
_TOTAL = "合计"

FIELD_LABELS = {
    "total": "总分",
    "rate": "得分率（%）",
    "grade": "等级",
    "bonus": "加减分",
    "max": "分值",
    "score": "自评得分",
    "self": "自评得分",
    "review": "复核得分",
    "final": "最终得分",
    "self.total": "自评总分",
    "self.rate": "自评得分率（%）",
    "self.grade": "自评等级",
    "review.total": "复核总分",
    "review.rate": "复核得分率（%）",
    "review.grade": "复核等级",
    "final.total": "最终总分",
    "final.rate": "最终得分率（%）",
    "final.grade": "最终等级",
    "grade_changed": "等级是否变化",
}


def text_of(value: Any) -> str:
    """The canonical text of a recorded value (exact decimals, ``true``/``false``, '' for none)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """Nested provenance data as dotted keys (``sources.0.sha256``) with canonical text."""
    out: dict[str, str] = {}
    if isinstance(value, Mapping):
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}.{i}"))
    else:
        out[prefix] = text_of(value)
    return out


# json.dumps(x, ensure_ascii=False), without building an encoder per call (one per figure of a
# 100,000-row result): the same text.
_encoder = json.JSONEncoder(ensure_ascii=False).encode
_string = json.encoder.encode_basestring


def _dumps(values: list[Any]) -> str:
    if all(type(v) is str for v in values):  # a path or a record row: the encoder's own text
        return "[" + ", ".join(map(_string, values)) + "]"
    return _encoder(values)


def figures(data: Mapping[str, Any]) -> dict[str, str]:
    """Every figure of a score or review result, keyed by ``<path>|<field>``."""
    out: dict[str, str] = {}
    if data.get("kind") == "review":
        for side in ("self", "review", "final"):
            totals = data.get(side) or {}
            for k in ("total", "rate", "grade"):
                out[f"{_TOTAL}|{side}.{k}"] = text_of(totals.get(k))
        out[f"{_TOTAL}|grade_changed"] = text_of(data.get("grade_changed"))
        for line in data.get("indicators", []):
            key = _dumps(list(line["path"]))
            for k in ("max", "self", "review", "final"):
                out[f"{key}|{k}"] = text_of(line.get(k))
    else:
        for k in ("total", "rate", "grade", "bonus"):
            out[f"{_TOTAL}|{k}"] = text_of(data.get(k))
        for node in data.get("indicators", []):
            key = _dumps(list(node["path"]))
            for k in ("max", "score", "rate"):
                out[f"{key}|{k}"] = text_of(node.get(k))
    return out


def describe(key: str) -> str:
    """A figure key in words: ``履职效能 / 整体效能 的自评得分``."""
    where, _, name = key.rpartition("|")
    label = FIELD_LABELS.get(name, name)
    if where == _TOTAL:
        return label
    return f"{' / '.join(json.loads(where))} 的{label}"


def write_record(wb: Any, data: Mapping[str, Any]) -> None:
    """Add the 核验记录 sheet (hidden, last): provenance, every figure as text, two check values.

    Call it after every other sheet is written: the second check value covers the 信息 sheet.
    """
    ws = xlsx.new_sheet(wb, RECORD_SHEET)  # streamed when the workbook's long sheets are
    xlsx.text(ws, 1, 1, RECORD_TITLE, bold=True, border=False, wrap=False)
    xlsx.text(ws, 2, 1, RECORD_NOTE, border=False, size=9, wrap=False)
    xlsx.header_row(ws, 3, ["类别", "项目", "内容"])
    rows = [(_PROVENANCE, k, v) for k, v in flatten(data["provenance"]).items()]
    rows += [(_FIGURE, k, v) for k, v in figures(data).items()]
    rows.append((_DIGEST, _RECORD_DIGEST, rows_digest(rows)))
    if INFO_SHEET in wb.sheetnames:
        rows.append((_DIGEST, _INFO_DIGEST, sheet_digest(wb[INFO_SHEET])))
    xlsx.plain_rows(ws, 4, rows)  # unstyled: a record has thousands of rows for a large sheet
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 68
    xlsx.print_setup(ws, "3:3")
    # Kept apart from what a person reads (and out of a printed or PDF copy); verify reads it.
    ws.sheet_state = "hidden"


def rows_digest(rows: Sequence[tuple[str, str, str]]) -> str:
    """The check value of the record's rows (kind, key, value), in order."""
    h = hashlib.sha256()
    for row in rows:
        h.update(_dumps(list(row)).encode("utf-8") + b"\n")
    return h.hexdigest()


def sheet_digest(ws: Any) -> str:
    """The check value of every non-empty cell of a sheet (address and text)."""
    h = hashlib.sha256()
    for row in ws.iter_rows():
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None or value == "":
                continue
            h.update(f"{cell.coordinate}\t{text_of(value)}\n".encode())
    return h.hexdigest()


@dataclass
class Record:
    """What a result file says about itself."""

    provenance: dict[str, str]
    figures: dict[str, str]
    problems: list[str] = field(default_factory=list)
    """Edits found by the record's check values (empty when none, or for a JSON record)."""
    notes: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        """``score`` or ``review``."""
        return self.provenance.get("kind") or "score"

    def sources(self) -> list[dict[str, str]]:
        """The recorded input files, in order (role, file, sha256, sheet)."""
        if "source.sha256" in self.provenance:
            return [
                {k: self.provenance.get(f"source.{k}", "") for k in ("file", "sha256", "sheet")}
                | {"role": "self"}
            ]
        out = []
        i = 0
        while f"sources.{i}.sha256" in self.provenance:
            out.append(
                {k: self.provenance.get(f"sources.{i}.{k}", "") for k in ("role", "file", "sha256", "sheet")}
            )
            i += 1
        return out


def read_record(path: Path) -> Record:
    """The record of a result workbook (its 核验记录) or of a ``--json`` output file."""
    if not path.is_file():
        raise UsageError(f"找不到结果文件 {path}")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal)
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise UsageError(f"{path} 不是有效的 JSON 文件") from e
        if not isinstance(data, dict) or "provenance" not in data:
            raise UsageError(f"{path} 中没有来源记录（provenance），不是 jixiao 的 --json 输出")
        return Record(flatten(data["provenance"]), figures(data))
    try:
        wb = open_workbook(path)
    except SheetError as e:
        raise UsageError(str(e)) from e
    try:
        if RECORD_SHEET in wb.sheetnames:
            return _read_record_sheet(wb)
        return _read_legacy_record(path, wb)
    finally:
        wb.close()


def _read_record_sheet(wb: Any) -> Record:
    ws = wb[RECORD_SHEET]
    provenance: dict[str, str] = {}
    found: dict[str, str] = {}
    digests: dict[str, str] = {}
    rows: list[tuple[str, str, str]] = []
    for kind, key, value in ws.iter_rows(min_row=4, max_col=3, values_only=True):
        if key is None:
            continue
        text = "" if value is None else str(value)
        if kind == _DIGEST:
            digests[str(key)] = text
            continue
        target = provenance if kind == _PROVENANCE else found if kind == _FIGURE else None
        if target is not None:
            target[str(key)] = text
        rows.append((str(kind), str(key), text))
    problems: list[str] = []
    if digests.get(_RECORD_DIGEST) != rows_digest(rows):
        problems.append(f"“{RECORD_SHEET}”工作表被改动过：其内容与记录时的校验值不符")
    if INFO_SHEET not in wb.sheetnames:
        problems.append(f"缺少工作表“{INFO_SHEET}”")
    elif digests.get(_INFO_DIGEST) != sheet_digest(wb[INFO_SHEET]):
        problems.append(f"“{INFO_SHEET}”工作表被改动过：其内容与记录时的校验值不符")
    return Record(provenance, found, problems)


def _read_legacy_record(path: Path, wb: Any) -> Record:
    ws = wb[INFO_SHEET] if INFO_SHEET in wb.sheetnames else None
    start = None
    if ws is not None:
        start = next((r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == RECORD_TITLE), None)
    if ws is None or start is None:
        raise UsageError(
            f"{path} 中没有核验记录（“{RECORD_SHEET}”工作表）："
            "不是 jixiao 生成的结果工作簿，或由不带核验记录的旧版本生成"
        )
    provenance: dict[str, str] = {}
    found: dict[str, str] = {}
    for kind, key, value in ws.iter_rows(min_row=start + 3, max_col=3, values_only=True):
        target = provenance if kind == _PROVENANCE else found if kind == _FIGURE else None
        if target is not None and key is not None:
            target[str(key)] = "" if value is None else str(value)
    note = "核验记录由旧版本写在“信息”工作表末尾，没有校验值：无法确认“信息”工作表未被改动"
    return Record(provenance, found, notes=[note])
