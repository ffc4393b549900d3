"""Uploads: bounded reading, safe names, and the request guard (token, host, size)."""

from __future__ import annotations

import hmac
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from jixiao.web.worker import JobFailed

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
COOKIE = "jixiao_token"


def safe_name(name: str | None, default: str = "上传文件.xlsx") -> str:
    """A file name fit to show and to put on a download: no folders, controls or reserved marks."""
    text = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    text = _UNSAFE.sub("_", text).strip().lstrip(".").strip()
    if len(text) > 120:
        stem, dot, ext = text.rpartition(".")
        text = (stem[:110] + dot + ext[:8]) if dot and len(ext) <= 8 else text[:120]
    return text or default


def disposition(name: str) -> str:
    """A Content-Disposition header for a download named ``name`` (UTF-8 with an ASCII fallback)."""
    name = safe_name(name, "下载文件")
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@dataclass(frozen=True)
class Limits:
    """How much one request may upload."""

    max_file_bytes: int
    max_files: int

    @property
    def max_body_bytes(self) -> int:
        """The most a request body may hold: every file at its limit plus the form fields."""
        return self.max_file_bytes * self.max_files + (1 << 20)


async def read_form(request: Any, limits: Limits) -> Any:
    """The request's form; too many files or a bad body become :class:`JobFailed`."""
    from starlette.exceptions import HTTPException

    try:
        return await request.form(max_files=limits.max_files, max_fields=100)
    except HTTPException as e:
        if "files" in str(e.detail).lower():
            raise JobFailed(f"一次最多上传 {limits.max_files} 个文件", 413, ("too-many-files",)) from e
        raise JobFailed("表单内容无法读取", 400, ("bad-form",)) from e


def uploaded_files(form: Any, field: str, limits: Limits, *, required: bool = True) -> list[Any]:
    """The files of one form field (empty file inputs left out), checked against the limits."""
    files = [f for f in form.getlist(field) if hasattr(f, "filename") and f.filename]
    if required and not files:
        raise JobFailed("请先选择要上传的文件", 400, ("no-file",))
    if len(files) > limits.max_files:
        raise JobFailed(f"一次最多上传 {limits.max_files} 个文件", 413, ("too-many-files",))
    return files


async def save_upload(upload: Any, limits: Limits, store: Any) -> tuple[str, str]:
    """Copy one upload into the blob store in chunks, within the size limit: (sha256, safe name)."""
    name = safe_name(upload.filename)
    size = 0
    with tempfile.NamedTemporaryFile(prefix="jixiao-up-", delete=False) as tmp:
        path = Path(tmp.name)
        try:
            while chunk := await upload.read(1 << 20):
                size += len(chunk)
                if size > limits.max_file_bytes:
                    raise JobFailed(
                        f"文件“{name}”超过 {limits.max_file_bytes / (1 << 20):.3g} MB 的上限；"
                        "真实的评分表通常不到 1 MB",
                        413,
                        ("file-too-large",),
                    )
                tmp.write(chunk)
        except BaseException:
            tmp.close()
            path.unlink(missing_ok=True)
            raise
    try:
        if size == 0:
            raise JobFailed(f"文件“{name}”是空的（0 字节）", 422, ("empty-file",))
        sha = store.put_blob(path)
    finally:
        path.unlink(missing_ok=True)
    return sha, name


class BodyTooLarge(Exception):
    """The request body passed the limit while it was being read."""


class Guard:
    """ASGI middleware: access token, allowed hosts, same-origin forms, bounded bodies."""

    def __init__(self, app: Any, *, token: str | None, hosts: tuple[str, ...] | None, max_body: int):
        self.app = app
        self.token = token
        self.hosts = hosts
        self.max_body = max_body

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if self.hosts is not None and _host_name(host) not in self.hosts:
            await _deny(scope, send, 403, "只接受来自本机地址的访问（127.0.0.1）", "host-not-allowed")
            return
        method = scope.get("method", "GET")
        origin = headers.get("origin")
        if method not in ("GET", "HEAD") and origin and origin not in ("null",) and _host_of(origin) != host:
            await _deny(scope, send, 403, "拒绝来自其他网站的提交", "cross-origin")
            return
        if self.token is not None:
            query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
            given = (query.get("token") or [None])[0]
            if (
                given is not None
                and hmac.compare_digest(given.encode(), self.token.encode())
                and method == "GET"
            ):
                await _login(scope, send, query, self.token)
                return
            if not self._authorised(headers):
                await _deny(
                    scope,
                    send,
                    401,
                    "需要访问令牌：请使用启动服务时显示的完整网址（含 ?token=…）",
                    "token-required",
                )
                return
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await _deny(scope, send, 413, "上传内容超过上限（文件太大或太多）", "body-too-large")
            return
        seen = 0
        limit = self.max_body

        async def bounded() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge()
            return message

        await self.app(scope, bounded, send)

    def _authorised(self, headers: dict[str, str]) -> bool:
        assert self.token is not None
        candidates = []
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            candidates.append(auth[7:].strip())
        if "x-jixiao-token" in headers:
            candidates.append(headers["x-jixiao-token"])
        for part in headers.get("cookie", "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == COOKIE:
                candidates.append(value)
        expected = self.token.encode()
        return any(hmac.compare_digest(c.encode(), expected) for c in candidates)


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _host_of(origin: str) -> str:
    return origin.split("://", 1)[-1].rstrip("/")


async def _login(scope: dict[str, Any], send: Any, query: dict[str, list[str]], token: str) -> None:
    rest = {k: v for k, v in query.items() if k != "token"}
    location = scope.get("path", "/") + ("?" + urlencode(rest, doseq=True) if rest else "")
    cookie = f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
    await send(
        {
            "type": "http.response.start",
            "status": 303,
            "headers": [(b"location", location.encode()), (b"set-cookie", cookie.encode())],
        }
    )
    await send({"type": "http.response.body", "body": b""})


async def _deny(scope: dict[str, Any], send: Any, status: int, message: str, code: str) -> None:
    import json

    if scope.get("path", "").startswith("/api/"):
        body = json.dumps({"message": message, "codes": [code]}, ensure_ascii=False).encode()
        kind = b"application/json"
    else:
        from html import escape

        body = (
            "<!doctype html><meta charset=utf-8><title>jixiao</title>"
            f"<p style='font:16px sans-serif;margin:3em'>{escape(message)}</p>"
        ).encode()
        kind = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
