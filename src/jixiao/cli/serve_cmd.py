"""``jixiao serve``: the local web app (needs the ``web`` extra)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from jixiao.errors import UsageError

LOCAL = ("127.0.0.1", "localhost", "::1")
INSTALL_HINT = (
    "网页版需要额外的组件，请先安装：pip install 'jixiao[web]'"
    "（在源码目录中可直接运行 make serve，会自动安装）"
)


def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址；默认只允许本机访问")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data", help="数据文件夹（数据库和上传的文件）；默认取环境变量 JIXIAO_DATA 或 ./jixiao-data"
        ),
    ] = None,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            help="数据库地址（SQLAlchemy URL），如 postgresql+psycopg://用户@主机/库；"
            "默认数据文件夹中的 SQLite",
        ),
    ] = None,
    token: Annotated[
        str | None, typer.Option("--token", help="访问令牌；监听非本机地址时必需，不给则自动生成并显示")
    ] = None,
    max_file_mb: Annotated[float, typer.Option("--max-file-mb", help="每个上传文件的大小上限（MB）")] = 20,
    max_files: Annotated[int, typer.Option("--max-files", help="一次最多上传的文件数")] = 50,
    timeout: Annotated[float, typer.Option("--timeout", help="处理一个文件的时间上限（秒）")] = 60,
) -> int:
    """网页版：在浏览器中评分、下载模板、复核、管理评审批次（默认 http://127.0.0.1:8000）。"""
    try:
        import uvicorn

        from jixiao.web.app import Settings, create_app, new_token
    except ImportError as e:
        raise UsageError(f"{INSTALL_HINT}（缺少 {e.name}）") from e
    if max_file_mb <= 0 or max_files < 1 or timeout <= 0:
        raise UsageError("--max-file-mb、--max-files 和 --timeout 须为正数")
    folder = data or Path(os.environ.get("JIXIAO_DATA") or "jixiao-data")
    local = host in LOCAL
    if not local and not token:
        token = new_token()
    settings = Settings(
        data_dir=folder.resolve(),
        database_url=database or os.environ.get("JIXIAO_DATABASE_URL") or None,
        token=token,
        local_only=local,
        max_file_mb=max_file_mb,
        max_files=max_files,
        timeout=timeout,
    )
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown if host not in ('0.0.0.0', '::') else '本机IP'}:{port}/"
    print(f"jixiao 网页版已启动：{url}{'?token=' + token if token else ''}", file=sys.stderr)
    if token:
        print("其他电脑访问时须使用上面含 token 的完整网址；请只把它告诉需要的人。", file=sys.stderr)
    print(f"数据文件夹：{settings.data_dir}（按 Ctrl-C 停止）", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning")
    return 0
