"""Find and load framework files: the shipped ones (package data) and extra folders.

Loading checks everything and reports every problem at once, each with the file and the
dotted path of the offending value (``indicators[1].children[3].points``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from jixiao.errors import FrameworkError, FrameworkProblem, UsageError
from jixiao.framework.check import check_framework, problem_from_pydantic
from jixiao.framework.models import Framework

ENV_PATH = "JIXIAO_FRAMEWORKS"
LOCAL_DIR = "frameworks"  # ./frameworks in the current folder is searched too


@dataclass(frozen=True)
class LoadedFramework:
    """A checked framework together with the file it came from and that file's SHA-256."""

    framework: Framework
    path: Path
    sha256: str

    @property
    def id(self) -> str:
        """The framework id, e.g. ``shaoguan-2023``."""
        return self.framework.id


class _DecimalLoader(yaml.SafeLoader):
    """A safe YAML loader that reads floats as exact decimals (22.31 stays 22.31)."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")  # type: ignore[arg-type]
    return Decimal(text)


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def shipped_dir() -> Path:
    """The folder of the frameworks shipped with jixiao (package data, wherever it is installed)."""
    return Path(str(resources.files("jixiao.framework") / "data"))


def search_dirs() -> list[Path]:
    """Folders searched for framework files: $JIXIAO_FRAMEWORKS, the shipped ones, ./frameworks.

    A folder reached twice (the checkout's ``frameworks/`` is also the package data of an
    editable install) is searched once.
    """
    dirs = [Path(p) for p in os.environ.get(ENV_PATH, "").split(os.pathsep) if p]
    dirs += [shipped_dir(), Path.cwd() / LOCAL_DIR]
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in seen:
            seen.append(d.resolve())
    return seen


def framework_files() -> list[Path]:
    """Every framework file in the search folders, first folder wins for a repeated name."""
    found: dict[str, Path] = {}
    for d in search_dirs():
        for f in sorted(d.glob("*.y*ml")):
            found.setdefault(f.name, f)
    return list(found.values())


def load_framework(ref: str | Path) -> LoadedFramework:
    """Load a framework by id (``shaoguan-2023``) or by the path of a YAML file."""
    path = resolve(ref)
    return _load_cached(path, path.stat().st_mtime_ns)


def resolve(ref: str | Path) -> Path:
    """The file a framework reference names: a path, or an id looked up in the search folders."""
    candidate = Path(ref)
    if candidate.suffix.lower() in {".yaml", ".yml"} or candidate.exists():
        if not candidate.is_file():
            raise UsageError(f"找不到框架文件 {candidate}")
        return candidate.resolve()
    for f in framework_files():
        if f.stem == str(ref):
            return f
    known = ", ".join(f.stem for f in framework_files()) or "（无）"
    raise UsageError(f"找不到评价框架“{ref}”。可用的框架：{known}")


def load_all() -> list[LoadedFramework]:
    """Every framework in the search folders, loaded and checked."""
    return [load_framework(f) for f in framework_files()]


@lru_cache(maxsize=64)
def _load_cached(path: Path, _mtime: int) -> LoadedFramework:
    from jixiao.framework import cache

    data = path.read_bytes()
    framework = cache.get(data)  # a checked framework seen before (same bytes, same versions)
    if not isinstance(framework, Framework):
        framework = parse_framework(data, source=path)
        cache.put(data, framework)
    return LoadedFramework(framework, path, hashlib.sha256(data).hexdigest())


def parse_framework(data: bytes | str, source: str | Path = "<text>") -> Framework:
    """Parse and check framework YAML; raise :class:`FrameworkError` listing every problem."""
    try:
        raw = yaml.load(data, Loader=_DecimalLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        raise FrameworkError(source, [FrameworkProblem(where, f"YAML 格式错误：{e}")]) from e
    except UnicodeDecodeError as e:
        raise FrameworkError(source, [FrameworkProblem("", "文件不是 UTF-8 编码的文本")]) from e
    if not isinstance(raw, dict):
        raise FrameworkError(source, [FrameworkProblem("", "文件内容应为一个映射（键: 值）")])
    try:
        framework = Framework.model_validate(raw)
    except ValidationError as e:
        raise FrameworkError(source, [problem_from_pydantic(err) for err in e.errors()]) from e
    problems = check_framework(framework)
    if problems:
        raise FrameworkError(source, problems)
    return framework
