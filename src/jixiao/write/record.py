"""The audit trail: a record of what a result was produced from, and ``jixiao verify``.

Every result workbook carries a 核验记录 at the foot of its 信息 sheet and every JSON output a
``provenance`` object: the SHA-256 of each input file, the framework id, version and file hash,
the options, the jixiao version and the time. The 核验记录 also lists every figure as text, so that
:func:`verify` can re-score the inputs and compare figure by figure. The record shows whether a
result matches its inputs; it is not a signature (anyone can edit a workbook).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.errors import JixiaoError, UsageError
from jixiao.write import xlsx

INFO_SHEET = "信息"
RECORD_TITLE = "核验记录"
RECORD_NOTE = "jixiao verify 用以下数据核对结果与输入文件，请勿修改。"
_PROVENANCE = "provenance"
_FIGURE = "figure"
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
            key = json.dumps(list(line["path"]), ensure_ascii=False)
            for k in ("max", "self", "review", "final"):
                out[f"{key}|{k}"] = text_of(line.get(k))
    else:
        for k in ("total", "rate", "grade", "bonus"):
            out[f"{_TOTAL}|{k}"] = text_of(data.get(k))
        for node in data.get("indicators", []):
            key = json.dumps(list(node["path"]), ensure_ascii=False)
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


def write_record(ws: Any, data: Mapping[str, Any]) -> None:
    """Append the 核验 record to an info sheet: provenance and every figure as text."""

    row = ws.max_row + 2
    xlsx.text(ws, row, 1, RECORD_TITLE, bold=True, border=False, wrap=False)
    xlsx.text(ws, row + 1, 1, RECORD_NOTE, border=False, size=9, wrap=False)
    xlsx.header_row(ws, row + 2, ["类别", "项目", "内容"])
    row += 3
    rows = [(_PROVENANCE, k, v) for k, v in flatten(data["provenance"]).items()]
    rows += [(_FIGURE, k, v) for k, v in figures(data).items()]
    for kind, key, value in rows:
        for col, text in enumerate((kind, key, value), start=1):
            # Unstyled: a record has thousands of rows for a large sheet.
            xlsx.text(ws, row, col, text, styled=False)
        row += 1
    ws.column_dimensions["C"].width = 68
    xlsx.print_setup(ws, "2:2")


@dataclass
class Record:
    """What a result file says about itself."""

    provenance: dict[str, str]
    figures: dict[str, str]

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
    from jixiao.errors import SheetError
    from jixiao.read.openpyxl_reader import open_workbook

    try:
        wb = open_workbook(path)
    except SheetError as e:
        raise UsageError(str(e)) from e
    try:
        ws = wb[INFO_SHEET] if INFO_SHEET in wb.sheetnames else None
        start = None
        if ws is not None:
            start = next((r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == RECORD_TITLE), None)
        if ws is None or start is None:
            raise UsageError(
                f"{path} 中没有核验记录（“{INFO_SHEET}”工作表中的“{RECORD_TITLE}”）："
                "不是 jixiao 生成的结果工作簿，或由不带核验记录的旧版本生成"
            )
        provenance: dict[str, str] = {}
        found: dict[str, str] = {}
        for kind, key, value in ws.iter_rows(min_row=start + 3, max_col=3, values_only=True):
            target = provenance if kind == _PROVENANCE else found if kind == _FIGURE else None
            if target is not None and key is not None:
                target[str(key)] = "" if value is None else str(value)
        return Record(provenance, found)
    finally:
        wb.close()


@dataclass
class Check:
    """One line of a verdict: passed or not, and what it says."""

    ok: bool
    message: str
    details: list[str] = field(default_factory=list)


@dataclass
class Verdict:
    """The outcome of ``jixiao verify``."""

    checks: list[Check]
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return all(c.ok for c in self.checks)


def verify(result: Path, inputs: Sequence[Path], framework: str | Path | None = None) -> Verdict:
    """Check a result against its input files and framework, and re-score to compare figures."""
    from jixiao._version import __version__
    from jixiao.framework.load import load_framework
    from jixiao.scoring.pipeline import sha256_file

    record = read_record(result)
    recorded = record.sources()
    if not recorded:
        raise UsageError(f"{result} 的核验记录中没有输入文件的 SHA-256")
    if len(inputs) != len(recorded):
        names = "、".join(s["file"] for s in recorded)
        raise UsageError(
            f"该结果由 {len(recorded)} 个输入文件生成（{names}），请按顺序给出 {len(recorded)} 个文件，"
            f"现在给了 {len(inputs)} 个"
        )
    checks: list[Check] = []
    notes: list[str] = []
    for given, rec in zip(inputs, recorded, strict=True):
        if not given.is_file():
            raise UsageError(f"找不到输入文件 {given}")
        digest = sha256_file(given)
        if digest == rec["sha256"]:
            checks.append(Check(True, f"输入文件 {given.name} 与记录一致（SHA-256 {digest[:16]}…）"))
        else:
            checks.append(
                Check(
                    False,
                    f"输入文件 {given.name} 不是生成该结果的文件：记录的是 {rec['file']}，"
                    f"SHA-256 {rec['sha256'][:16]}…，此文件为 {digest[:16]}…",
                )
            )
    fw_id = record.provenance.get("framework.id", "")
    try:
        loaded = load_framework(framework or fw_id)
    except JixiaoError as e:
        raise UsageError(
            f"无法载入记录中的评价框架“{fw_id}”：{e}。如框架文件不在 frameworks/ 中，请用 --framework 指定"
        ) from e
    fw_version = record.provenance.get("framework.version", "")
    if loaded.id != fw_id:
        checks.append(Check(False, f"评价框架不同：记录为 {fw_id}，现在载入的是 {loaded.id}"))
    elif loaded.framework.version != fw_version:
        checks.append(
            Check(
                False,
                f"评价框架 {fw_id} 的版本已改变：记录为 {fw_version}，现在为 {loaded.framework.version}",
            )
        )
    elif loaded.sha256 != record.provenance.get("framework.sha256"):
        checks.append(
            Check(
                False,
                f"评价框架 {fw_id}（版本 {fw_version}）的文件内容已改变："
                f"记录的 SHA-256 {record.provenance.get('framework.sha256', '')[:16]}…，"
                f"现在为 {loaded.sha256[:16]}…",
            )
        )
    else:
        checks.append(
            Check(True, f"评价框架 {fw_id}（版本 {fw_version}）与记录一致（SHA-256 {loaded.sha256[:16]}…）")
        )
    mismatch = _wrong_order(record, inputs)
    if mismatch:
        checks.append(Check(False, mismatch))
    else:
        check, rescored = _rescore(record, inputs, loaded)
        checks.append(check)
        if rescored is not None and result.suffix.lower() != ".json":
            checks.append(_visible(result, record.kind, rescored))
    version = record.provenance.get("jixiao_version", "")
    if version and version != __version__:
        notes.append(f"结果由 jixiao {version} 生成，当前为 {__version__}")
    when = record.provenance.get("produced_at")
    if when:
        notes.append(f"结果生成时间（UTC）：{when}")
    return Verdict(checks, notes)


def _wrong_order(record: Record, inputs: Sequence[Path]) -> str | None:
    """A message when the given files are the recorded ones but in another order."""
    from jixiao.scoring.pipeline import sha256_file

    recorded = record.sources()
    if len(recorded) < 2:
        return None
    digests = [sha256_file(p) for p in inputs]
    if all(d == rec["sha256"] for d, rec in zip(digests, recorded, strict=True)):
        return None
    roles = {"self": "自评表", "review": "复核表"}
    swapped = []
    for i, (given, digest) in enumerate(zip(inputs, digests, strict=True)):
        j = next((j for j, rec in enumerate(recorded) if rec["sha256"] == digest), None)
        if j is None or j == i:
            continue
        role = recorded[j].get("role") or ""
        what = roles.get(role, role) or recorded[j]["file"]
        swapped.append(f"{given.name} 是记录中的第 {j + 1} 个文件（{what}）")
    if not swapped:
        return None
    return "给出的文件顺序似乎有误：" + "；".join(swapped) + "。请按记录的顺序给出文件"


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return Decimal(str(value))


def _same(recorded: str | None, now: str | None) -> bool:
    """Recorded and re-scored text of one figure agree, numbers compared as decimals."""
    if recorded == now:
        return True
    try:
        return Decimal(recorded or "") == Decimal(now or "")
    except ArithmeticError:
        return False


def _visible(result: Path, kind: str, rescored: Any) -> Check:
    """Compare the sheets a reader sees with the same sheets written from the re-scored result."""
    from jixiao.read.openpyxl_reader import open_workbook

    if kind == "review":
        from jixiao.write.review import build_review_workbook

        expected = build_review_workbook(rescored)
        names = ["复核对比"]
    else:
        from jixiao.write.result import build_result_workbook

        expected = build_result_workbook(rescored)
        names = ["总表", "明细"]
    wb = open_workbook(result)
    details: list[str] = []
    try:
        for name in names:
            if name not in wb.sheetnames:
                details.append(f"缺少工作表“{name}”")
                continue
            got, want = wb[name], expected[name]
            rows = max(got.max_row, want.max_row)
            cols = max(got.max_column, want.max_column)
            for row in range(1, rows + 1):
                for col in range(1, cols + 1):
                    a = got.cell(row=row, column=col).value
                    b = want.cell(row=row, column=col).value
                    if _agree(a, b):
                        continue
                    ref = got.cell(row=row, column=col).coordinate
                    details.append(f"“{name}”工作表 {ref}：显示为 {_shown(a)}，重新评分为 {_shown(b)}")
    finally:
        wb.close()
    if not details:
        return Check(True, f"结果工作簿中显示的数字与重新评分一致（{'、'.join(names)}）")
    return Check(False, f"结果工作簿中显示的内容与重新评分不一致（{len(details)} 处）", details)


def _agree(a: Any, b: Any) -> bool:
    """Two cell values agree: numbers as decimals, blank as blank, anything else as equal."""
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        return na == nb
    if a in (None, "") and b in (None, ""):
        return True
    return bool(a == b)


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    number = _number(value)
    return format(number, "f") if number is not None else str(value)


def _rescore(record: Record, inputs: Sequence[Path], loaded: Any) -> tuple[Check, Any]:
    from jixiao.errors import JixiaoError

    sources = record.sources()
    try:
        if record.kind == "review":
            from jixiao.reviewing.compare import Settings
            from jixiao.reviewing.data import review_data
            from jixiao.reviewing.pipeline import review_sheet, review_sheets

            settings = Settings(
                tolerance=Decimal(record.provenance.get("settings.tolerance") or "1"),
                fill_from_self=record.provenance.get("settings.fill_from_self") == "true",
            )
            if len(inputs) == 1:
                review = review_sheet(inputs[0], loaded, sheet=sources[0]["sheet"] or None, settings=settings)
            else:
                review = review_sheets(
                    inputs[0],
                    inputs[1],
                    loaded,
                    sheet=sources[0]["sheet"] or None,
                    review_sheet_name=sources[1]["sheet"] or None,
                    settings=settings,
                )
            now = figures(review_data(review, "-"))
            rescored: Any = review
        else:
            from jixiao.scoring.data import evaluation_data
            from jixiao.scoring.pipeline import score_file

            ev = score_file(inputs[0], loaded, sheet=sources[0]["sheet"] or None)
            now = figures(evaluation_data(ev, "-"))
            rescored = ev
    except JixiaoError as e:
        return Check(False, f"重新评分失败：{e}"), None
    keys = list(record.figures) + [k for k in now if k not in record.figures]
    differ = [k for k in keys if not _same(record.figures.get(k), now.get(k))]
    if not differ:
        return Check(True, f"重新评分结果与记录一致（{len(now)} 项数字全部相同）"), rescored
    details = [
        f"{describe(k)}：记录为 {record.figures.get(k) or '（无）'}，重新评分为 {now.get(k) or '（无）'}"
        for k in differ
    ]
    return Check(False, f"重新评分结果与记录不一致（{len(differ)} 项）", details), rescored
