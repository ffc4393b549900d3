"""Score one sheet end to end: read, pick the framework, match, calculate, check."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from jixiao import findings as F
from jixiao.errors import SheetError
from jixiao.framework.load import LoadedFramework, load_all, load_framework
from jixiao.matching import match
from jixiao.matching.detect import detect, fits, listing, rank
from jixiao.matching.sheet_tree import SHEET_FRAMEWORK_ID, SheetTree, sheet_tree
from jixiao.read.dispatch import load_grids
from jixiao.read.mark import is_jixiao_output
from jixiao.read.named_cells import named_funds
from jixiao.read.table import SheetTable
from jixiao.scoring.calculate import calculate, calculate_partial
from jixiao.scoring.checks import check_reported, check_text_amounts
from jixiao.scoring.choose import _choose_table
from jixiao.scoring.evaluation import Evaluation, SourceFile
from jixiao.values import exact


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Hold the cyclic garbage collector while a sheet is read and scored; restore it after.

    Scoring makes no reference cycles to speak of, but it allocates an object or more per cell,
    and each full collection walks every live object, the whole grid included: on a
    100,000-row sheet those walks doubled the time. Whatever cycles there are are collected
    as soon as the collector runs again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def score_file(
    path: str | Path,
    framework: str | Path | LoadedFramework | None = None,
    *,
    sheet: str | None = None,
    frameworks: Sequence[LoadedFramework] | None = None,
) -> Evaluation:
    """Score a filled sheet against a framework (given, or detected from its indicator names).

    ``framework="sheet"`` scores the sheet against its own indicator tree; so does a sheet no
    framework fits (instead of refusing it).
    """
    with no_gc_pauses():
        return _score_file(Path(path), framework, sheet, frameworks)


def _score_file(
    path: Path,
    framework: str | Path | LoadedFramework | None,
    sheet: str | None,
    frameworks: Sequence[LoadedFramework] | None,
) -> Evaluation:
    own_tree = framework == SHEET_FRAMEWORK_ID or (
        isinstance(framework, LoadedFramework)
        and framework.id == SHEET_FRAMEWORK_ID
        and framework.path == path  # a sheet's own tree is rebuilt from the sheet, never reused
    )
    if own_tree:
        framework = None
    chosen = (
        framework
        if isinstance(framework, LoadedFramework)
        else load_framework(framework)
        if framework is not None
        else None
    )
    # Only a regular file is looked into here: a pipe or device is refused by load_grids.
    if path.is_file() and is_jixiao_output(path):
        raise SheetError(
            path,
            "这是 jixiao 生成的结果文件，不是待评分的评分表；请对原评分表评分"
            "（核验结果文件请用 jixiao verify 结果文件 评分表）",
        )
    grids = load_grids(path)
    table = _choose_table(path, grids, sheet, chosen, frameworks)
    if "score" not in table.columns:
        raise SheetError(
            path,
            f"工作表“{table.sheet}”没有自评得分列，只有复核得分列：这像是复核表。"
            "请用 jixiao review 自评表.xlsx 复核表.xlsx 对比，或在表中加上“自评得分”列",
        )
    detected = chosen is None
    digest = sha256_file(path)
    if chosen is None:
        pool = frameworks if frameworks is not None else load_all()
        if own_tree or not fits(table, pool):
            why = (
                None if own_tree else f"没有评价框架与表中指标足够吻合（候选：{listing(rank(table, pool))}）"
            )
            return evaluate_own_tree(table, digest, why=why, detected=not own_tree)
        chosen = detect(table, pool)
        if chosen.framework.template:
            return _template_or_own_tree(table, chosen, digest)
    return evaluate(table, chosen, digest, detected=detected)


DEPARTURES = frozenset(
    {
        "indicator-unknown",
        "indicator-missing",
        "points-mismatch",
        "label-points-mismatch",
        "children-points-sum",
        "children-missing",
    }
)
"""Errors that say a sheet's tree is not the framework's (names, weights, structure)."""

MAX_DEPARTURES_SHOWN = 3
RULE_WARNINGS = ("rule-", "qualitative-", "shortfall-")
"""Warnings of a template's 计分规则 about single rows, kept when its tree gives way to the sheet's."""


def _template_or_own_tree(table: SheetTable, template: LoadedFramework, digest: str) -> Evaluation:
    """Score against a detected template framework, or by the sheet's own tree if it departs.

    A template (the national 项目支出 form, the generic 部门整体 system) is adapted by every
    place: weights are set 原则上 and the 三级 indicators are each project's. A sheet that
    departs from it in names, weights or structure is scored by the tree it carries, and the
    departures are listed in one warning with the command that holds the sheet to the
    template instead. A region's own framework is never left this way (see Framework.template).
    """
    ev = evaluate(table, template, digest, detected=True)
    departures = list(
        {(f.position.cell, f.message): f for f in ev.findings if f.is_error and f.code in DEPARTURES}.values()
    )
    if not departures:
        return ev
    try:
        tree = sheet_tree(table, digest)
    except SheetError:
        return ev  # too large to be read as a tree of its own: the template's findings stand
    if tree is None:
        return ev  # the sheet carries no tree of its own: the template's findings stand
    if tree.total_points < template.framework.total_points:
        # Less than the template's total: part of the sheet is missing (a copy cut short, a 一级
        # left out), not adapted. Scored by its own tree it would get a grade for what is there.
        return ev
    examples = "；".join(_departure_text(f) for f in departures[:MAX_DEPARTURES_SHOWN])
    if len(departures) > MAX_DEPARTURES_SHOWN:
        examples += "……"
    warning = F.make(
        "framework-template-departure",
        framework=template.id,
        count=len(departures),
        examples=examples,
    )
    why = (
        f"评分表与模板框架“{template.id}”（{template.framework.title}）的指标体系不同，"
        "按评分表自身的指标体系评分"
    )
    # The sheet's own tree carries no 计分规则; what the template's rules said about each row's
    # score (按完成比例计分, the 达成 bands) still holds for that row, as a warning.
    kept = [
        _as_note_of_template(f) for f in ev.findings if not f.is_error and f.code.startswith(RULE_WARNINGS)
    ]
    own = evaluate_own_tree(table, digest, why=why, detected=True, tree=tree, extra=[warning])
    # what the sheet's own tree says itself at a cell (the funds row's rule) is not said twice
    said = {(f.position.cell, f.code) for f in own.findings}
    added = [f for f in kept if (f.position.cell, f.code) not in said]
    if added:
        own.findings.extend(added)
        own.findings.sort(key=F.sort_key)
        assert own.sheet_tree is not None
        own.sheet_tree.notes[0] += f"；模板的计分规则对各行得分的 {len(added)} 条提示照常列出"
    return own


def _as_note_of_template(f: F.Finding) -> F.Finding:
    """A template rule's warning as it reads when the sheet's own figure is what counts."""
    if f.code != "rule-score-mismatch":
        return f
    message = (
        f.message.removesuffix("，按计算结果计") + "；按评分表自身的指标体系评分时仍按填写的得分计，请核对"
    )
    return dataclasses.replace(f, message=message)


def _departure_text(f: F.Finding) -> str:
    where = f"{f.position.cell} " if f.position.cell else ""
    name = f"“{f.path[-1]}”" if f.path and f.path[-1] not in f.message else ""
    return f"{where}{name}{f.message}"


def evaluate_own_tree(
    table: SheetTable,
    sha256: str,
    *,
    why: str | None = None,
    detected: bool = True,
    tree: SheetTree | None = None,
    extra: Sequence[F.Finding] = (),
) -> Evaluation:
    """Score a table against the indicator tree it carries itself (no framework file).

    ``why`` says why no framework was used (automatic choice), shown with the notes; ``tree``
    is the sheet's tree when already built; ``extra`` findings are added to the tree's own.
    """
    tree = tree if tree is not None else sheet_tree(table, sha256)
    if tree is None:
        raise SheetError(
            table.path,
            f"工作表“{table.sheet}”中读不出指标体系（没有带分值的指标行），无法按表中自带的指标体系评分；"
            "请用 --framework 指定评价框架",
        )
    if why:
        tree.notes.insert(0, why)
    ev = evaluate(tree.table, tree.framework, sha256, detected=detected, extra=[*tree.findings, *extra])
    ev.sheet_tree = tree
    return ev


@exact  # 28 digits (Python's default) would round a long score before half-up rounding
def evaluate(
    table: SheetTable,
    framework: LoadedFramework,
    sha256: str,
    *,
    detected: bool = False,
    extra: Sequence[F.Finding] = (),
) -> Evaluation:
    """Match and calculate an already-read table (pure apart from formula look-ups).

    ``extra`` are findings found before matching (about the sheet's own tree); while any error
    stands the total and grade are withheld and the complete subtotals are given as partial.
    """
    fw = framework.framework
    outcome = match(table, fw, named_funds=named_funds)
    found = _merge(list(extra), outcome.findings)
    found += check_text_amounts(table.grid, table.sheet)
    result = None
    partial = None
    if outcome.tree is not None:
        result = calculate(fw, outcome.tree)
        found += check_reported(
            fw, result, outcome.inputs, outcome.reported, table.reported_grade, table.sheet
        )
        if result.capped:
            found.append(
                F.make(
                    "total-capped",
                    path=("合计",),
                    raw=result.weighted + (result.bonus or 0),
                    maximum=fw.max_total,
                )
            )
    if F.has_errors(found):
        result = None
        partial = calculate_partial(fw, outcome.inputs, [f.path for f in found if f.is_error])
    found.sort(key=F.sort_key)
    source = SourceFile(table.path, sha256, table.sheet, tuple(table.sheet_names))
    return Evaluation(source, framework, table, found, result, framework_detected=detected, partial=partial)


def _merge(first: list[F.Finding], more: Sequence[F.Finding]) -> list[F.Finding]:
    """Findings of both lists, one per (cell, indicator) problem: the tree's own come first."""
    seen = {(f.position.sheet, f.position.cell, f.path) for f in first if f.position.cell}
    out = list(first)
    for f in more:
        key = (f.position.sheet, f.position.cell, f.path)
        if f.position.cell and key in seen and f.is_error:
            continue  # the same slip already said by the tree's reading
        out.append(f)
    return out
