"""The web app's one door into the library: every jixiao internal the app uses is imported here.

Each function takes plain arguments (paths of files already staged by the worker, framework ids,
numbers) and returns plain, picklable data: JSON text, dicts of strings and Decimals, or the
bytes of a file to download. They run inside worker processes (:mod:`jixiao.web.worker`), so a
hostile sheet can only ever stall or crash a worker, never the server. Nothing here knows about
HTTP.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

# Modules the worker processes import once, before any request (forkserver preload), so that
# each job starts in milliseconds instead of paying for the imports again.
PRELOAD = (
    "jixiao.scoring.pipeline",
    "jixiao.batch",
    "jixiao.write.jsonout",
    "jixiao.write.result",
    "jixiao.reviewing.pipeline",
    "jixiao.read.xlsx",
    "python_calamine",
    "jixiao.web._warm",
)

# How much of a sheet the 评分 page draws (a real sheet has 20–80 rows and 6–10 columns).
GRID_ROWS = 300
GRID_COLS = 16


def _bytes_of(write: Callable[[Path], None], suffix: str) -> bytes:
    """Run a writer that takes an output path inside a private temp dir; return the bytes."""
    with tempfile.TemporaryDirectory(prefix="jixiao-out-") as tmp:
        out = Path(tmp) / f"out{suffix}"
        write(out)
        return out.read_bytes()


def _plain(value: Any) -> str:
    from jixiao.values import plain

    return "" if value is None else plain(value) if isinstance(value, Decimal) else str(value)


# --- 评分 -------------------------------------------------------------------------------------


def score_file(path: Path, framework: str | None = None, sheet: str | None = None) -> dict[str, Any]:
    """Score one sheet: ``json`` is exactly ``jixiao score --json``; ``grid`` the sheet to draw."""
    from jixiao.scoring.pipeline import score_file as score
    from jixiao.write.jsonout import evaluation_json

    ev = score(path, framework, sheet=sheet)
    text = evaluation_json(ev)
    return {
        "ok": ev.result is not None,
        "json": text,
        "data": json.loads(text, parse_float=Decimal),
        "unit": ev.table.unit_name or ev.table.title,
        "framework_title": ev.framework.framework.title,
        "sheet": ev.source.sheet,
        "grid": _grid(ev),
    }


def _grid(ev: Any) -> dict[str, Any]:
    """The scored worksheet as rows of text, with the findings placed on their cells."""
    from jixiao.read.grid import cell_ref

    grid = ev.table.grid
    marks: dict[str, list[dict[str, str]]] = {}
    for f in ev.findings:
        if f.position.cell and (f.position.sheet in (None, ev.source.sheet)):
            marks.setdefault(f.position.cell, []).append(
                {"severity": str(f.severity), "message": f.message, "code": f.code}
            )
    if grid is None:
        return {"rows": [], "cols": 0, "more_rows": False, "marks": marks}
    ncols = min(grid.max_col, GRID_COLS)
    nrows = min(grid.max_row, GRID_ROWS)
    # A merged range is drawn as one cell spanning it (clipped to the part that is shown).
    ends: dict[tuple[int, int], tuple[int, int]] = {}
    for (r, c), origin in grid.merged_from.items():
        if r <= nrows and c <= ncols:
            end = ends.get(origin, origin)
            ends[origin] = (max(end[0], r), max(end[1], c))
    rows = []
    for r in range(1, nrows + 1):
        cells = []
        for c in range(1, ncols + 1):
            origin = grid.merged_from.get((r, c))
            if origin is not None and origin != (r, c):
                continue
            ref = cell_ref(r, c)
            end = ends.get((r, c), (r, c))
            cells.append(
                {
                    "ref": ref,
                    "text": _cell_text(grid.value(r, c)),
                    "marks": marks.get(ref, []),
                    "rowspan": end[0] - r + 1,
                    "colspan": end[1] - c + 1,
                }
            )
        rows.append({"n": r, "cells": cells})
    letters = [cell_ref(1, c)[:-1] for c in range(1, ncols + 1)]
    return {
        "rows": rows,
        "letters": letters,
        "cols": ncols,
        "more_rows": grid.max_row > GRID_ROWS,
        "more_cols": grid.max_col > GRID_COLS,
        "marks": marks,
    }


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def write_result(path: Path, framework: str | None = None, sheet: str | None = None) -> bytes | None:
    """The result workbook (总表/明细/问题/信息), or None when the sheet has errors."""
    from jixiao.scoring.pipeline import score_file as score
    from jixiao.write.result import write_result as write

    ev = score(path, framework, sheet=sheet)
    if ev.result is None:
        return None
    return _bytes_of(lambda out: write(ev, out), ".xlsx")


def write_report(path: Path, framework: str | None = None, sheet: str | None = None) -> bytes | None:
    """The scoring section of the 自评报告 as .docx, or None when the sheet has errors."""
    from jixiao.report import build_report, load_templates, render_docx, report_input
    from jixiao.scoring.pipeline import score_file as score

    ev = score(path, framework, sheet=sheet)
    if ev.result is None:
        return None
    data = report_input(ev)
    return bytes(render_docx(build_report(data, load_templates(), chart=True)))


# --- 自评表模板 --------------------------------------------------------------------------------


def write_template(framework: str) -> bytes:
    """The fillable self-assessment worksheet of a framework."""
    from jixiao.framework.load import load_framework
    from jixiao.write.template import write_template as write

    loaded = load_framework(_known_id(framework))
    return _bytes_of(lambda out: write(loaded.framework, out), ".xlsx")


# --- 复核 ------------------------------------------------------------------------------------


def _review(
    self_path: Path,
    review_path: Path | None,
    framework: str | None,
    tolerance: Decimal,
    fill_from_self: bool,
) -> Any:
    from jixiao.reviewing.compare import Settings
    from jixiao.reviewing.pipeline import review_sheet, review_sheets

    settings = Settings(tolerance=tolerance, fill_from_self=fill_from_self)
    if review_path is None:
        return review_sheet(self_path, framework, settings=settings)
    return review_sheets(self_path, review_path, framework, settings=settings)


def review(
    self_path: Path,
    review_path: Path | None = None,
    framework: str | None = None,
    tolerance: Decimal = Decimal(1),
    fill_from_self: bool = False,
) -> dict[str, Any]:
    """Compare self and review scores: ``json`` is exactly ``jixiao review --json``."""
    from jixiao.reviewing.data import review_data
    from jixiao.write.jsonout import dumps

    done = _review(self_path, review_path, framework, tolerance, fill_from_self)
    text = dumps(review_data(done))
    return {"ok": done.ok, "json": text, "data": json.loads(text, parse_float=Decimal)}


def write_review(
    self_path: Path,
    review_path: Path | None = None,
    framework: str | None = None,
    tolerance: Decimal = Decimal(1),
    fill_from_self: bool = False,
) -> bytes | None:
    """The 复核对比 workbook, or None when the review has errors."""
    from jixiao.write.review import write_review as write

    done = _review(self_path, review_path, framework, tolerance, fill_from_self)
    if not done.ok:
        return None
    return _bytes_of(lambda out: write(done, out), ".xlsx")


def write_review_template(path: Path, framework: str | None = None) -> bytes | None:
    """The protected review worksheet made from a department's sheet, or None on errors."""
    from jixiao.scoring.pipeline import score_file as score
    from jixiao.write.review_template import write_review_template as write

    ev = score(path, framework)
    if ev.result is None:
        return None
    return _bytes_of(lambda out: write(ev, out), ".xlsx")


# --- 评审批次 --------------------------------------------------------------------------------


def score_outcome(path: Path, framework: str | None = None) -> dict[str, Any]:
    """One file of a round, scored and reduced to JSON-ready data the store keeps."""
    from jixiao.batch import score_one

    o = score_one(path, framework)
    data = o.to_dict()
    data["file"] = path.name
    data["grade_order"] = list(o.grade_order)
    data["indicators"] = [
        {"path": list(p), "max": pts, "score": score, "rate": rate} for p, pts, score, rate in o.indicators
    ]
    from jixiao.write.jsonout import dumps

    return json.loads(dumps(data, indent=None), parse_float=str)


def _outcome(data: dict[str, Any]) -> Any:
    """A stored outcome back as the library's ``FileOutcome``."""
    from jixiao.batch.run import FileOutcome, Subtotal
    from jixiao.findings import Finding, Position, Severity

    def dec(v: Any) -> Decimal | None:
        return None if v is None else Decimal(str(v))

    findings = tuple(
        Finding(
            f["code"],
            Severity(f["severity"]),
            f["message"],
            Position(f.get("sheet"), (f.get("cell") or "").split("!")[-1] or None),
            tuple(f.get("path") or ()),
        )
        for f in data.get("findings") or ()
    )
    return FileOutcome(
        path=Path(data["file"]),
        unit=data.get("unit"),
        framework_id=data.get("framework"),
        sheet=data.get("sheet"),
        sha256=data.get("sha256"),
        total=dec(data.get("total")),
        max=dec(data.get("max")),
        rate=dec(data.get("rate")),
        grade=data.get("grade"),
        grade_order=tuple(data.get("grade_order") or ()),
        subtotals=tuple(
            Subtotal(s["name"], dec(s["max"]), Decimal(str(s["score"])), dec(s["rate"]))
            for s in data.get("subtotals") or ()
        ),
        indicators=tuple(
            (tuple(i["path"]), dec(i["max"]), Decimal(str(i["score"])), dec(i["rate"]))
            for i in data.get("indicators") or ()
        ),
        findings=findings,
        error=data.get("error"),
        skipped=data.get("skipped"),
    )


def _summary(outcomes: Iterable[dict[str, Any]]) -> Any:
    from jixiao.batch import BatchSummary

    summary = BatchSummary()
    for data in outcomes:
        summary.add(_outcome(data))
    return summary


def batch_summary(outcomes: Sequence[dict[str, Any]], weakest: int = 10) -> dict[str, Any]:
    """Ranking, grade distribution, weakest indicators and errors of a round's current files."""
    s = _summary(outcomes)
    ranks = s.ranks()
    ranking = sorted(
        (
            {
                "unit": o.unit,
                "file": o.path.name,
                "framework": o.framework_id,
                "total": _exact(o.total),
                "rate": _exact(o.rate),
                "grade": o.grade,
                "rank": ranks[id(o)],
                "warnings": o.warnings,
            }
            for o in s.scored
        ),
        key=lambda row: (row["framework"] or "", row["rank"]),
    )
    weak = [
        {
            "framework": st.framework_id,
            "path": list(st.path),
            "count": st.count,
            "average": _fixed(st.average),
            "minimum": _fixed(st.minimum),
            "lost": _fixed(st.lost_sum),
        }
        for st in s.indicator_rows()[:weakest]
    ]
    errors = [
        {
            "file": o.path.name,
            "error": o.error,
            "findings": [f.to_dict(with_sheet=True) for f in o.findings if f.is_error],
        }
        for o in s.failed
    ]
    return {
        "scored": len(s.scored),
        "failed": len(s.failed),
        "skipped": len(s.skipped),
        "frameworks": s.frameworks,
        "grades": [{"grade": g, "count": n} for g, n in s.grade_counts()],
        "ranking": ranking,
        "weakest": weak,
        "errors": errors,
        "skipped_files": [{"file": o.path.name, "reason": o.skipped} for o in s.skipped],
    }


def _exact(value: Decimal | None) -> str:
    """A calculated figure exactly as the calculator rounded it (98.50 stays 98.50)."""
    return "" if value is None else format(value, "f")


def _fixed(value: Decimal | None, places: int = 2) -> str:
    """A figure for display with a fixed number of decimals (rounded half up, display only)."""
    from jixiao.values import quantize

    return "" if value is None else format(quantize(value, places), "f")


def write_summary(outcomes: Sequence[dict[str, Any]]) -> bytes:
    """The bureau's summary workbook (汇总, 等级分布, 指标得分率, 错误) of a round."""
    from jixiao.write.summary import write_summary as write

    s = _summary(outcomes)
    return _bytes_of(lambda out: write(s, out), ".xlsx")


def write_bureau_report(title: str, outcomes: Sequence[dict[str, Any]]) -> bytes:
    """A short .docx for the bureau: counts, grade distribution, ranking, weakest indicators."""
    from jixiao.report import render_docx
    from jixiao.report.model import Cell, Document, Heading, Paragraph, Table

    data = batch_summary(outcomes, weakest=10)
    total = data["scored"] + data["failed"]
    counts = "，".join(f"{g['grade']} {g['count']} 个" for g in data["grades"] if g["count"]) or "无"
    blocks: list[Any] = [
        Paragraph(
            f"本批次共收到评分表 {total} 份，已评分 {data['scored']} 份，未能评分 {data['failed']} 份。"
            f"等级分布：{counts}。"
        ),
    ]
    if len(data["frameworks"]) > 1:
        blocks.append(Paragraph("各单位使用的评价框架不同，排名只在同一评价框架内比较。"))
    if data["ranking"]:
        blocks.append(Heading("一、各单位得分与排名", 2))
        blocks.append(
            Table(
                "各单位自评得分（框架内排名）",
                ("排名", "单位", "总分", "得分率（%）", "等级"),
                tuple(
                    (
                        Cell(str(r["rank"]), "number"),
                        Cell(r["unit"] or r["file"]),
                        Cell(r["total"], "number"),
                        Cell(r["rate"], "number"),
                        Cell(r["grade"] or ""),
                    )
                    for r in data["ranking"]
                ),
                (1, 4, 1.5, 1.5, 1),
            )
        )
    if data["weakest"]:
        blocks.append(Heading("二、得分率最低的指标", 2))
        blocks.append(
            Table(
                "平均得分率最低的指标",
                ("指标", "单位数", "平均得分率（%）", "最低得分率（%）"),
                tuple(
                    (
                        Cell("／".join(w["path"])),
                        Cell(str(w["count"]), "number"),
                        Cell(w["average"], "number"),
                        Cell(w["minimum"], "number"),
                    )
                    for w in data["weakest"]
                ),
                (5, 1, 1.5, 1.5),
            )
        )
    if data["errors"]:
        blocks.append(Heading("三、未能评分的文件", 2))
        for e in data["errors"]:
            blocks.append(Paragraph(f"{e['file']}：{e['error']}"))
    doc = Document(title=f"{title}评审情况", blocks=tuple(blocks))
    return bytes(render_docx(doc))


# --- 评价框架 --------------------------------------------------------------------------------


def list_frameworks() -> list[dict[str, Any]]:
    """Every framework found, with its title, region, year, version and total; broken ones flagged."""
    from jixiao.errors import FrameworkError
    from jixiao.framework.load import framework_files, load_framework

    found = []
    for path in framework_files():
        try:
            lf = load_framework(path)
        except FrameworkError as e:
            found.append({"id": path.stem, "ok": False, "error": str(e)})
            continue
        fw = lf.framework
        found.append(
            {
                "id": fw.id,
                "ok": True,
                "title": fw.title,
                "region": fw.region,
                "year": fw.year,
                "version": fw.version,
                "kind": fw.kind,
                "total_points": _plain(fw.total_points),
                "sha256": lf.sha256,
            }
        )
    return found


def _known_id(framework: str) -> str:
    """A framework id as listed (never a path: requests may only name shipped/imported ids)."""
    from jixiao.errors import UsageError

    ids = {f["id"] for f in list_frameworks() if f["ok"]}
    if framework not in ids:
        raise UsageError(f"没有评价框架“{framework}”。可用的框架：{'、'.join(sorted(ids)) or '（无）'}")
    return framework


def framework_tree(framework: str) -> dict[str, Any]:
    """A framework's indicator tree with 分值, 评分标准 and rules, and its grade bands."""
    from jixiao.framework.load import load_framework
    from jixiao.rules.describe import describe_rule

    lf = load_framework(_known_id(framework))
    fw = lf.framework

    def node(n: Any) -> dict[str, Any]:
        if n.bonus is not None:
            points = f"加减分 {_plain(n.bonus.minimum)}～{_plain(n.bonus.maximum)}"
        elif n.points is None:
            points = "由评分表给出"
        else:
            points = _plain(n.points)
        notes = []
        if str(n.children_from_sheet) == "allowed":
            notes.append("可由评分表增设下级指标")
        elif str(n.children_from_sheet) == "required":
            notes.append("须由评分表列出下级指标")
        if str(n.scored_by) == "finance":
            notes.append("财政赋分")
        return {
            "name": n.name,
            "points": points,
            "criteria": n.criteria or "",
            "explanation": n.explanation or "",
            "rule": describe_rule(n.rule) if n.rule is not None else "",
            "children_rule": describe_rule(n.children_rule) if n.children_rule is not None else "",
            "provenance": str(n.provenance or ""),
            "notes": notes,
            "children": [node(c) for c in n.children],
        }

    bands = [
        {"label": b.label, "minimum": _plain(b.minimum), "maximum": _plain(b.maximum)}
        for b in sorted(fw.grades, key=lambda b: b.minimum, reverse=True)
    ]
    return {
        "id": fw.id,
        "title": fw.title,
        "version": fw.version,
        "region": fw.region,
        "year": fw.year,
        "total_points": _plain(fw.total_points),
        "source": fw.source.document,
        "notes": fw.source.notes or "",
        "grades": bands,
        "indicators": [node(n) for n in fw.indicators],
    }


def import_framework(
    path: Path, framework_id: str | None = None, region: str | None = None
) -> dict[str, Any]:
    """Import a 指标体系表: the framework as YAML text (None on errors) and every finding."""
    from jixiao.authoring.importer import ImportOptions, import_table
    from jixiao.authoring.yamlout import dump_framework
    from jixiao.findings import sort_key

    result = import_table(path, ImportOptions(id=framework_id or None, region=region or None))
    findings = [f.to_dict(with_sheet=True) for f in sorted(result.findings, key=sort_key)]
    text = None
    fw_id = None
    if result.ok and result.framework is not None:
        fw = result.framework
        fw_id = fw.id
        text = dump_framework(fw, [fw.title, f"由 jixiao 网页版从 {path.name} 导入，请核对后再使用。"])
    return {"ok": text is not None, "yaml": text, "id": fw_id, "findings": findings, "notes": result.notes}


def check_framework_text(text: str) -> str:
    """Parse and check framework YAML; return its id (raises ``FrameworkError`` listing problems).

    A framework may not take the id of one shipped with jixiao: two files with one id on the
    search path are an error (which of them scored a sheet must never be in doubt).
    """
    from jixiao.errors import UsageError
    from jixiao.framework.load import parse_framework, shipped_dir

    fid = parse_framework(text, source="上传的框架").id
    if (shipped_dir() / f"{fid}.yaml").exists():
        raise UsageError(
            f"框架 id“{fid}”是 jixiao 随附的框架，不能覆盖；请在 YAML 中把 id 改为新的名称"
            f"（如 {fid}-local）后再保存"
        )
    return fid


def diff_frameworks(old: str, new: str) -> list[dict[str, Any]]:
    """The changes between two frameworks (by id), one Chinese line each."""
    from jixiao.authoring.diff import diff_frameworks as diff
    from jixiao.framework.load import load_framework

    a = load_framework(_known_id(old))
    b = load_framework(_known_id(new))
    return [c.to_dict() for c in diff(a.framework, b.framework)]


def warm() -> None:
    """Parse every framework once (in the forkserver): each worker then starts with them cached.

    The cache is keyed by file and modification time, so a framework changed later is read
    again; nothing stale is kept.
    """
    from contextlib import suppress

    from jixiao.errors import JixiaoError
    from jixiao.framework.load import load_all

    with suppress(JixiaoError):  # a broken framework is reported when it is used, not here
        load_all()


def version() -> str:
    """The jixiao version, shown in the page footer."""
    from jixiao._version import __version__

    return __version__


def dumps(value: Any) -> str:
    """JSON text with exact decimals, as the command line writes it."""
    from jixiao.write.jsonout import dumps as encode

    return encode(value)
