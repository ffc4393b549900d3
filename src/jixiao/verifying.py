"""``jixiao verify``: re-check a result against its input files, framework and figures.

The record it reads is the 核验记录 of :mod:`jixiao.write.record` (or a ``--json`` output's
``provenance``). It shows whether a result matches its inputs; it is not a signature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao._version import __version__
from jixiao.errors import JixiaoError, UsageError
from jixiao.framework.load import load_by_id, load_framework
from jixiao.matching.sheet_tree import SHEET_FRAMEWORK_ID
from jixiao.read.openpyxl_reader import open_workbook
from jixiao.reviewing.compare import Settings
from jixiao.reviewing.data import review_data
from jixiao.reviewing.pipeline import review_sheet, review_sheets
from jixiao.scoring.evaluation import evaluation_data
from jixiao.scoring.pipeline import score_file, sha256_file
from jixiao.write.chart import SHEET as CHART_SHEET
from jixiao.write.record import Record, describe, figures, read_record
from jixiao.write.result import build_result_workbook
from jixiao.write.review import build_review_workbook


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
    if fw_id == SHEET_FRAMEWORK_ID and framework is None and record.kind != "review" and inputs:
        # The tree came from the sheet itself: rebuilt from the given file, whose hash is checked above.
        sources = record.sources()
        sheet = sources[0]["sheet"] or None
        # Scored the way the result was: automatically (a sheet that departed from a template
        # framework carries the warning saying so) or with --framework sheet.
        detected = record.provenance.get("framework.detected") == "true"
        try:
            ev = score_file(inputs[0], None if detected else SHEET_FRAMEWORK_ID, sheet=sheet)
            if not ev.from_sheet:
                ev = score_file(inputs[0], SHEET_FRAMEWORK_ID, sheet=sheet)
        except JixiaoError as e:
            raise UsageError(f"无法从评分表重建其自带的指标体系：{e}") from e
        checks.append(Check(True, "指标体系取自评分表本身（未使用框架文件），已从输入文件重建"))
        check, rescored = _rescore(record, inputs, ev.framework, scored=ev)
        checks.append(check)
        if rescored is not None and result.suffix.lower() != ".json":
            checks.append(_visible(result, record, rescored))
        return Verdict(checks, notes)
    try:
        # A path written in the record is never opened: only an id, or what the user names.
        loaded = load_framework(framework) if framework else load_by_id(fw_id)
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
            checks.append(_visible(result, record, rescored))
    notes.extend(record.notes)
    version = record.provenance.get("jixiao_version", "")
    if version and version != __version__:
        notes.append(f"结果由 jixiao {version} 生成，当前为 {__version__}")
    when = record.provenance.get("produced_at")
    if when:
        notes.append(f"结果生成时间（UTC）：{when}")
    return Verdict(checks, notes)


def _wrong_order(record: Record, inputs: Sequence[Path]) -> str | None:
    """A message when the given files are the recorded ones but in another order."""

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


def _visible(result: Path, record: Record, rescored: Any) -> Check:
    """Compare every sheet a reader sees with the same sheet written from the re-scored result.

    The 信息 sheet and the 核验记录 itself are covered by the record's check values.
    """

    if record.kind == "review" and rescored.comparison is None:
        return Check(False, "重新复核时评分表有错误，未能比较结果工作簿中显示的内容（见上）")
    if record.kind == "review":
        expected = build_review_workbook(rescored)
        names = ["复核对比", "问题"]
    elif rescored.result is None:
        # The sheet scores with errors now (edited, or another file): the figures already differ.
        return Check(False, "重新评分时评分表有错误，未能比较结果工作簿中显示的内容（见上）")
    else:
        expected = build_result_workbook(rescored)
        names = ["总表", "明细", "问题", CHART_SHEET]
    wb = open_workbook(result)
    details: list[str] = list(record.problems)
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
        covered = "、".join(names) + ("、信息、核验记录" if not record.notes else "")
        return Check(True, f"结果工作簿中显示的内容与重新评分一致（{covered}）")
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


def _rescore(record: Record, inputs: Sequence[Path], loaded: Any, scored: Any = None) -> tuple[Check, Any]:
    """Score the inputs again (or take ``scored``, already re-scored) and compare the figures."""
    sources = record.sources()
    try:
        if scored is not None:
            now = figures(evaluation_data(scored, "-"))
            rescored: Any = scored
        elif record.kind == "review":
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
            rescored = review
        else:
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
