"""The local web app: Starlette routes over :mod:`jixiao.web.engine`, pages in Chinese.

Every upload is stored by SHA-256, then read by a worker process (:mod:`.worker`) through the
same sniffing and safety checks as the command line; downloads name a stored file by its hash,
so no path from a request ever reaches the file system.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from jixiao.errors import JixiaoError
from jixiao.web import engine
from jixiao.web.store import Store, StoreError
from jixiao.web.uploads import (
    BodyTooLarge,
    Guard,
    Limits,
    disposition,
    read_form,
    safe_name,
    save_upload,
    uploaded_files,
)
from jixiao.web.worker import JobFailed, Staged, Workers, staged_files

HERE = Path(__file__).parent
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Settings:
    """How the app runs: where its data lives, who may use it, how much one request may do."""

    data_dir: Path
    database_url: str | None = None
    token: str | None = None
    local_only: bool = True  # accept only Host: 127.0.0.1/localhost (no token needed then)
    max_file_mb: float = 20
    max_files: int = 50
    timeout: float = 60.0
    memory_mb: int | None = 2048
    slots: int = field(default_factory=lambda: max(1, min(4, os.cpu_count() or 1)))

    @property
    def limits(self) -> Limits:
        """Upload limits in bytes."""
        return Limits(int(self.max_file_mb * (1 << 20)), self.max_files)


def new_token() -> str:
    """A random access token for a server reachable from other machines."""
    return secrets.token_urlsafe(18)


class Web:
    """The app's state: settings, store, workers, templates."""

    def __init__(self, settings: Settings):
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.frameworks_dir = settings.data_dir / "frameworks"
        self.frameworks_dir.mkdir(exist_ok=True)
        # Frameworks imported on the 评价框架 page live in the data folder and come first.
        os.environ["JIXIAO_FRAMEWORKS"] = str(self.frameworks_dir)
        self.store = Store(settings.data_dir, settings.database_url)
        self.workers = Workers(
            slots=settings.slots,
            timeout=settings.timeout,
            memory_mb=settings.memory_mb,
            frameworks_dir=self.frameworks_dir,
        )
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.templates.env.globals["version"] = engine.version()
        self.templates.env.globals["limits"] = settings
        self.templates.env.filters["pct"] = _pct

    async def job(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Run an engine function on an uploaded file in a worker process."""
        return await run_in_threadpool(self.workers.call, name, *args, **kwargs)

    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        """Render a page template."""
        context.setdefault("nav", name.split(".")[0])
        return self.templates.TemplateResponse(request, name, context, status_code=status)

    def staged(self, sha: str, name: str) -> Staged:
        """A stored upload to hand to a job (the hash is checked by the store)."""
        try:
            path = self.store.blob_path(sha)
        except StoreError:
            path = None
        if path is None or not path.is_file():
            raise JobFailed("找不到这个文件，请重新上传", 404, ("not-found",))
        return Staged(path, safe_name(name))

    def framework_choice(self, value: str | None) -> str | None:
        """A framework id from a form, checked against the known ids (never a path)."""
        value = (value or "").strip()
        if not value:
            return None
        if value not in {f["id"] for f in engine.list_frameworks() if f["ok"]}:
            raise JobFailed(f"没有评价框架“{value}”", 422, ("framework-unknown",))
        return value


def _pct(value: Any) -> str:
    return "" if value is None else str(value)


def _web(request: Request) -> Web:
    web: Web = request.app.state.web
    return web


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _download(data: bytes, name: str, kind: str) -> Response:
    return Response(data, media_type=kind, headers={"content-disposition": disposition(name)})


def _stem(name: str) -> str:
    return name.rsplit(".", 1)[0] if "." in name else name


# --- 评分 -------------------------------------------------------------------------------------


async def score_page(request: Request) -> Response:
    """GET /: the 评分 upload form."""
    return _web(request).page(request, "score.html", frameworks=engine.list_frameworks())


async def _score_uploads(request: Request) -> tuple[list[dict[str, Any]], str | None, str | None]:
    web = _web(request)
    form = await read_form(request, web.settings.limits)
    field_name = "file" if _is_api(request) else "files"
    files = uploaded_files(form, field_name, web.settings.limits)
    if _is_api(request) and len(files) != 1:
        raise JobFailed("POST /api/score 只接受一个文件（字段 file）", 400, ("one-file",))
    framework = web.framework_choice(str(form.get("framework") or ""))
    sheet = str(form.get("sheet") or "").strip() or None
    results = []
    for upload in files:
        sha, name = await save_upload(upload, web.settings.limits, web.store)
        try:
            with staged_files([web.staged(sha, name)]) as (path,):
                done = await web.job("score_file", path, framework, sheet)
            results.append({"name": name, "sha": sha, **done})
        except JobFailed as e:
            if _is_api(request):
                raise
            results.append({"name": name, "sha": sha, "failed": e})
    return results, framework, sheet


async def score_submit(request: Request) -> Response:
    """POST /score: score one or several sheets and show each."""
    web = _web(request)
    results, framework, sheet = await _score_uploads(request)
    for r in results:
        query = {"name": r["name"]}
        if framework:
            query["framework"] = framework
        if sheet:
            query["sheet"] = sheet
        r["query"] = urlencode(query)
    return web.page(request, "score.html", frameworks=engine.list_frameworks(), results=results)


async def api_score(request: Request) -> Response:
    """POST /api/score: the same object as ``jixiao score --json``."""
    results, _, _ = await _score_uploads(request)
    done = results[0]
    if done["ok"]:
        return Response(done["json"], media_type="application/json")
    data = done["data"]
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    data["message"] = f"评分表有 {len(errors)} 个错误，未能评分"
    data["codes"] = sorted({f["code"] for f in errors})
    from jixiao.web.engine import dumps

    return Response(dumps(data), status_code=422, media_type="application/json")


async def score_download(request: Request) -> Response:
    """GET /files/{sha}/result.xlsx | report.docx | result.json for a scored upload."""
    web = _web(request)
    sha = request.path_params["sha"]
    what = request.path_params["what"]
    name = safe_name(request.query_params.get("name"))
    framework = web.framework_choice(request.query_params.get("framework"))
    sheet = request.query_params.get("sheet") or None
    with staged_files([web.staged(sha, name)]) as (path,):
        if what == "result.xlsx":
            data = await web.job("write_result", path, framework, sheet)
            kind, out = XLSX, f"{_stem(name)}-评分结果.xlsx"
        elif what == "report.docx":
            data = await web.job("write_report", path, framework, sheet)
            kind, out = DOCX, f"{_stem(name)}-自评报告评分部分.docx"
        elif what == "result.json":
            done = await web.job("score_file", path, framework, sheet)
            return _download(done["json"].encode(), f"{_stem(name)}-评分结果.json", "application/json")
        elif what == "review-worksheet.xlsx":
            data = await web.job("write_review_template", path, framework)
            kind, out = XLSX, f"{_stem(name)}-复核工作表.xlsx"
        else:
            raise JobFailed("没有这个下载", 404, ("not-found",))
    if data is None:
        raise JobFailed("评分表有错误，无法生成该文件；请先改正评分表中的错误", 422, ("sheet-has-errors",))
    return _download(data, out, kind)


# --- 自评表模板 --------------------------------------------------------------------------------


async def template_page(request: Request) -> Response:
    """GET /template: pick a framework."""
    return _web(request).page(request, "template.html", frameworks=engine.list_frameworks())


async def template_download(request: Request) -> Response:
    """POST /template: the fillable worksheet of the chosen framework."""
    web = _web(request)
    form = await read_form(request, web.settings.limits)
    framework = web.framework_choice(str(form.get("framework") or ""))
    if framework is None:
        raise JobFailed("请选择评价框架", 400, ("framework-missing",))
    data = await run_in_threadpool(engine.write_template, framework)
    return _download(data, f"{framework}-自评表.xlsx", XLSX)


# --- 复核 ------------------------------------------------------------------------------------


def _tolerance(value: str | None) -> Decimal:
    try:
        limit = Decimal((value or "1").strip() or "1")
    except InvalidOperation:
        limit = Decimal(-1)
    if not limit.is_finite() or limit < 0:
        raise JobFailed("容差应为不小于 0 的数字", 422, ("bad-tolerance",))
    return limit


async def review_page(request: Request) -> Response:
    """GET /review: one sheet with both columns, or two files."""
    return _web(request).page(request, "review.html", frameworks=engine.list_frameworks())


async def review_submit(request: Request) -> Response:
    """POST /review: the comparison side by side."""
    web = _web(request)
    limits = web.settings.limits
    form = await read_form(request, limits)
    own = uploaded_files(form, "self", limits)[:1]
    other = uploaded_files(form, "review", limits, required=False)[:1]
    framework = web.framework_choice(str(form.get("framework") or ""))
    tolerance = _tolerance(str(form.get("tolerance") or "1"))
    fill = form.get("fill_from_self") == "1"
    stored = [await save_upload(u, limits, web.store) for u in own + other]
    staged = [web.staged(sha, name) for sha, name in stored]
    with staged_files(staged) as paths:
        done = await web.job(
            "review", paths[0], paths[1] if len(paths) > 1 else None, framework, tolerance, fill
        )
    query = {"self": stored[0][0], "self_name": stored[0][1], "tolerance": str(tolerance)}
    if len(stored) > 1:
        query |= {"review": stored[1][0], "review_name": stored[1][1]}
    if framework:
        query["framework"] = framework
    if fill:
        query["fill"] = "1"
    return web.page(
        request,
        "review.html",
        frameworks=engine.list_frameworks(),
        result=done,
        names=[n for _, n in stored],
        query=urlencode(query),
        self_query=urlencode({"name": stored[0][1], **({"framework": framework} if framework else {})}),
        self_sha=stored[0][0],
    )


async def review_download(request: Request) -> Response:
    """GET /review/compare.xlsx: the 复核对比 workbook."""
    web = _web(request)
    q = request.query_params
    staged = [web.staged(q.get("self", ""), q.get("self_name", "自评表.xlsx"))]
    if q.get("review"):
        staged.append(web.staged(q["review"], q.get("review_name", "复核表.xlsx")))
    framework = web.framework_choice(q.get("framework"))
    with staged_files(staged) as paths:
        data = await web.job(
            "write_review",
            paths[0],
            paths[1] if len(paths) > 1 else None,
            framework,
            _tolerance(q.get("tolerance")),
            q.get("fill") == "1",
        )
    if data is None:
        raise JobFailed("复核有错误，无法生成复核对比工作簿", 422, ("review-has-errors",))
    return _download(data, f"{_stem(staged[0].name)}-复核对比.xlsx", XLSX)


# --- 评审批次 --------------------------------------------------------------------------------


def _round_or_404(web: Web, request: Request) -> dict[str, Any]:
    try:
        round_id = int(request.path_params["round_id"])
    except ValueError:
        round_id = -1
    found = web.store.get_round(round_id)
    if found is None:
        raise JobFailed("没有这个评审批次", 404, ("round-not-found",))
    return found


async def _create_round(request: Request) -> int:
    web = _web(request)
    form = await read_form(request, web.settings.limits)
    name = " ".join(str(form.get("name") or "").split())[:200]
    if not name:
        raise JobFailed("请填写批次名称", 400, ("round-name-missing",))
    framework = web.framework_choice(str(form.get("framework") or ""))
    return await run_in_threadpool(web.store.create_round, name, framework)


async def _score_for_round(web: Web, sha: str, name: str, framework: str | None) -> dict[str, Any]:
    try:
        with staged_files([web.staged(sha, name)]) as (path,):
            outcome: dict[str, Any] = await web.job("score_outcome", path, framework)
    except JobFailed as e:
        outcome = {"file": name, "ok": False, "status": "failed", "error": e.message, "codes": list(e.codes)}
    outcome["file"] = name
    outcome["sha256"] = sha
    return outcome


async def _add_files(request: Request) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    web = _web(request)
    found = _round_or_404(web, request)
    limits = web.settings.limits
    form = await read_form(request, limits)
    uploads = uploaded_files(form, "files", limits)
    known = {s.sha256 for s in web.store.submissions(found["id"])}
    stored = [await save_upload(u, limits, web.store) for u in uploads]
    results: list[dict[str, Any]] = []
    todo = []
    for sha, name in stored:
        if sha in known:
            results.append(
                {"file": name, "status": "duplicate", "message": "与本批次已有的文件完全相同，未重复添加"}
            )
            continue
        known.add(sha)
        todo.append((sha, name))
        results.append({"file": name})
    outcomes = await asyncio.gather(*(_score_for_round(web, s, n, found["framework"]) for s, n in todo))
    slots = iter(outcomes)
    for entry in results:
        if "status" in entry:
            continue
        outcome = next(slots)
        sid = await run_in_threadpool(
            web.store.add_submission, found["id"], outcome["sha256"], entry["file"], outcome, engine.version()
        )
        entry.update(
            {
                "submission": sid,
                "status": outcome["status"],
                "unit": outcome.get("unit"),
                "total": outcome.get("total"),
                "grade": outcome.get("grade"),
                "error": outcome.get("error"),
                "sha256": outcome["sha256"],
            }
        )
    return found, results


def _round_view(web: Web, found: dict[str, Any]) -> dict[str, Any]:
    subs = web.store.submissions(found["id"])
    current = [s.outcome for s in subs if s.current]
    summary = engine.batch_summary(current)
    return {
        "round": found,
        "summary": summary,
        "submissions": subs,
        "resubmissions": [s for s in subs if not s.current],
    }


async def rounds_page(request: Request) -> Response:
    """GET /rounds: the rounds and a form to create one."""
    web = _web(request)
    rounds = await run_in_threadpool(web.store.list_rounds)
    return web.page(request, "rounds.html", rounds=rounds, frameworks=engine.list_frameworks())


async def rounds_create(request: Request) -> Response:
    """POST /rounds: create a round, then go to it."""
    round_id = await _create_round(request)
    return RedirectResponse(f"/rounds/{round_id}", status_code=303)


async def round_page(request: Request) -> Response:
    """GET /rounds/{id}: ranking, grade chart, weakest indicators, errors, resubmissions."""
    web = _web(request)
    found = _round_or_404(web, request)
    view = await run_in_threadpool(_round_view, web, found)
    return web.page(request, "round.html", **view, nav="rounds")


async def round_files(request: Request) -> Response:
    """POST /rounds/{id}/files: add files (then show the round with what happened to each)."""
    web = _web(request)
    found, results = await _add_files(request)
    view = await run_in_threadpool(_round_view, web, found)
    return web.page(request, "round.html", **view, added=results, nav="rounds")


async def round_rescore(request: Request) -> Response:
    """POST /rounds/{id}/rescore: score every stored file again (after a framework change)."""
    web = _web(request)
    found = _round_or_404(web, request)
    subs = web.store.submissions(found["id"])
    outcomes = await asyncio.gather(
        *(_score_for_round(web, s.sha256, s.filename, found["framework"]) for s in subs)
    )
    for s, outcome in zip(subs, outcomes, strict=True):
        await run_in_threadpool(web.store.update_outcome, s.id, outcome, engine.version())
    await run_in_threadpool(web.store.mark_rescored, found["id"])
    if _is_api(request):
        return JSONResponse({"id": found["id"], "rescored": len(subs)})
    return RedirectResponse(f"/rounds/{found['id']}?rescored={len(subs)}", status_code=303)


async def round_summary(request: Request) -> Response:
    """GET /rounds/{id}/summary.xlsx (and /api/…): the summary workbook of the current files."""
    web = _web(request)
    found = _round_or_404(web, request)
    current = [s.outcome for s in web.store.submissions(found["id"]) if s.current]
    data = await run_in_threadpool(engine.write_summary, current)
    return _download(data, f"{found['name']}-汇总.xlsx", XLSX)


async def round_report(request: Request) -> Response:
    """GET /rounds/{id}/report.docx: the bureau's short report of the round."""
    web = _web(request)
    found = _round_or_404(web, request)
    current = [s.outcome for s in web.store.submissions(found["id"]) if s.current]
    data = await run_in_threadpool(engine.write_bureau_report, found["name"], current)
    return _download(data, f"{found['name']}-评审情况.docx", DOCX)


def _round_json(found: dict[str, Any], view: dict[str, Any] | None = None) -> dict[str, Any]:
    out = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in found.items()}
    if view is not None:
        out["summary"] = view["summary"]
        out["files"] = [
            {
                "submission": s.id,
                "file": s.filename,
                "sha256": s.sha256,
                "uploaded_at": s.uploaded_at.isoformat(),
                "status": s.status,
                "unit": s.unit,
                "total": s.outcome.get("total"),
                "grade": s.outcome.get("grade"),
                "error": s.outcome.get("error"),
                "current": s.current,
                "superseded_by": s.superseded_by,
            }
            for s in view["submissions"]
        ]
    return out


async def api_rounds_list(request: Request) -> Response:
    """GET /api/rounds: every round with its counts."""
    web = _web(request)
    rounds = await run_in_threadpool(web.store.list_rounds)
    return JSONResponse({"rounds": [_round_json(r) for r in rounds]})


async def api_rounds_create(request: Request) -> Response:
    """POST /api/rounds (form name): {"id": …}."""
    return JSONResponse({"id": await _create_round(request)}, status_code=201)


async def api_round(request: Request) -> Response:
    """GET /api/rounds/{id}: the summary as JSON."""
    web = _web(request)
    found = _round_or_404(web, request)
    view = await run_in_threadpool(_round_view, web, found)
    return JSONResponse(_round_json(found, view))


async def api_round_files(request: Request) -> Response:
    """POST /api/rounds/{id}/files (multipart files): one outcome per file."""
    found, results = await _add_files(request)
    return JSONResponse({"id": found["id"], "files": results})


# --- 评价框架 --------------------------------------------------------------------------------


async def frameworks_page(request: Request) -> Response:
    """GET /frameworks: list, import, diff."""
    return _web(request).page(request, "frameworks.html", frameworks=engine.list_frameworks())


async def framework_page(request: Request) -> Response:
    """GET /frameworks/{id}: the tree with 分值 and 评分标准."""
    web = _web(request)
    framework = web.framework_choice(request.path_params["framework_id"])
    assert framework is not None
    tree = await run_in_threadpool(engine.framework_tree, framework)
    return web.page(request, "framework.html", fw=tree, nav="frameworks")


async def framework_import(request: Request) -> Response:
    """POST /frameworks/import: a 指标体系表 → framework YAML with every finding."""
    web = _web(request)
    limits = web.settings.limits
    form = await read_form(request, limits)
    (upload,) = uploaded_files(form, "table", limits)[:1]
    sha, name = await save_upload(upload, limits, web.store)
    fid = str(form.get("id") or "").strip() or None
    region = str(form.get("region") or "").strip() or None
    with staged_files([web.staged(sha, name)]) as (path,):
        done = await web.job("import_framework", path, fid, region)
    return web.page(
        request, "frameworks.html", frameworks=engine.list_frameworks(), imported=done, imported_name=name
    )


async def framework_save(request: Request) -> Response:
    """POST /frameworks/save: keep an imported framework in the data folder (checked first)."""
    web = _web(request)
    form = await read_form(request, web.settings.limits)
    text = str(form.get("yaml") or "")
    if form.get("download") == "1":
        fid = await run_in_threadpool(engine.check_framework_text, text)
        return _download(text.encode("utf-8"), f"{fid}.yaml", "application/yaml")
    fid = await run_in_threadpool(engine.check_framework_text, text)
    target = web.frameworks_dir / f"{fid}.yaml"  # the id is [a-z0-9-]+, checked by the model
    tmp = target.with_name(f".{fid}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return RedirectResponse(f"/frameworks/{fid}", status_code=303)


async def framework_diff(request: Request) -> Response:
    """POST /frameworks/diff: the changes between two frameworks."""
    web = _web(request)
    form = await read_form(request, web.settings.limits)
    old = web.framework_choice(str(form.get("old") or ""))
    new = web.framework_choice(str(form.get("new") or ""))
    if old is None or new is None:
        raise JobFailed("请选择要比较的两个框架", 400, ("framework-missing",))
    changes = await run_in_threadpool(engine.diff_frameworks, old, new)
    return web.page(
        request, "frameworks.html", frameworks=engine.list_frameworks(), diff=changes, old=old, new=new
    )


async def api_frameworks(request: Request) -> Response:
    """GET /api/frameworks: the frameworks found."""
    return JSONResponse({"frameworks": await run_in_threadpool(engine.list_frameworks)})


# --- errors ----------------------------------------------------------------------------------


async def _failed(request: Request, exc: Exception) -> Response:
    if isinstance(exc, BodyTooLarge):
        exc = JobFailed("上传内容超过上限（文件太大或太多）", 413, ("body-too-large",))
    elif isinstance(exc, JixiaoError) and not isinstance(exc, JobFailed):
        message = getattr(exc, "detail", None) or str(exc)
        code = {"SheetError": "sheet-unreadable", "FrameworkError": "framework-invalid"}.get(
            type(exc).__name__, "usage"
        )
        exc = JobFailed(message, 422, (code,))
    elif not isinstance(exc, JobFailed):
        status = getattr(exc, "status_code", 500)
        text = {404: "没有这个页面", 405: "不支持这种请求方式"}.get(status, "服务器内部错误（请报告）")
        exc = JobFailed(text, status, ("not-found" if status == 404 else "http-error",))
    assert isinstance(exc, JobFailed)
    if _is_api(request):
        return JSONResponse({"message": exc.message, "codes": list(exc.codes)}, status_code=exc.status)
    return _web(request).page(request, "error.html", status=exc.status, error=exc, nav="")


def create_app(settings: Settings) -> Starlette:
    """The ASGI app for ``settings`` (used by ``jixiao serve`` and by the tests)."""
    from starlette.exceptions import HTTPException

    web = Web(settings)
    routes = [
        Route("/", score_page),
        Route("/score", score_submit, methods=["POST"]),
        Route("/files/{sha}/{what}", score_download),
        Route("/template", template_page),
        Route("/template", template_download, methods=["POST"]),
        Route("/review", review_page),
        Route("/review", review_submit, methods=["POST"]),
        Route("/review/compare.xlsx", review_download),
        Route("/rounds", rounds_page),
        Route("/rounds", rounds_create, methods=["POST"]),
        Route("/rounds/{round_id}", round_page),
        Route("/rounds/{round_id}/files", round_files, methods=["POST"]),
        Route("/rounds/{round_id}/rescore", round_rescore, methods=["POST"]),
        Route("/rounds/{round_id}/summary.xlsx", round_summary),
        Route("/rounds/{round_id}/report.docx", round_report),
        Route("/frameworks", frameworks_page),
        Route("/frameworks/import", framework_import, methods=["POST"]),
        Route("/frameworks/save", framework_save, methods=["POST"]),
        Route("/frameworks/diff", framework_diff, methods=["POST"]),
        Route("/frameworks/{framework_id}", framework_page),
        Route("/api/score", api_score, methods=["POST"]),
        Route("/api/frameworks", api_frameworks),
        Route("/api/rounds", api_rounds_list),
        Route("/api/rounds", api_rounds_create, methods=["POST"]),
        Route("/api/rounds/{round_id}", api_round),
        Route("/api/rounds/{round_id}/files", api_round_files, methods=["POST"]),
        Route("/api/rounds/{round_id}/rescore", round_rescore, methods=["POST"]),
        Route("/api/rounds/{round_id}/summary.xlsx", round_summary),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    handlers: dict[Any, Any] = {
        JobFailed: _failed,
        JixiaoError: _failed,
        BodyTooLarge: _failed,
        HTTPException: _failed,
        Exception: _failed,
    }
    app = Starlette(routes=routes, exception_handlers=handlers)
    app.state.web = web
    hosts = LOCAL_HOSTS if settings.local_only and settings.token is None else None
    app.add_middleware(Guard, token=settings.token, hosts=hosts, max_body=settings.limits.max_body_bytes)
    return app
