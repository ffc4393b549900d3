"""Find and load framework files: the shipped ones (package data) and extra folders.

Loading checks everything and reports every problem at once, each with the file and the
dotted path of the offending value (``indicators[1].children[3].points``).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from jixiao.errors import FrameworkError, FrameworkProblem, UsageError, os_reason
from jixiao.framework.check import problems_of_data
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


MAX_FRAMEWORK_BYTES = 4 << 20
"""Largest framework file read (a 2,600-indicator framework is about 600 KB)."""

MAX_YAML_NODES = 500_000
"""Nodes of a framework document once every alias is expanded (a 2,600-indicator framework
has about 40,000). A 939-byte "billion laughs" of aliases expands to 10^9 and is refused
before anything is built."""

MAX_YAML_DEPTH = 64
"""Nesting of mappings and sequences (a framework nests about 2 levels per indicator level)."""

MAX_NUMBER = Decimal(10) ** 15
"""Largest magnitude of a number in a framework (no 分值 or year comes near it)."""

# libyaml's C parser when installed (about 10× faster); the constructors stay in Python.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DecimalLoader(_BaseLoader):
    """A safe YAML loader that reads floats as exact decimals (22.31 stays 22.31)."""


class _Refused:
    """A scalar that is not a number a framework can hold; reported with its dotted path."""

    def __init__(self, text: str, why: str):
        self.text, self.why = text, why


def _construct_decimal(loader: Any, node: yaml.Node) -> Decimal | _Refused:
    text = str(loader.construct_scalar(node))
    plain = text.replace("_", "")
    if ":" in plain:
        return _Refused(text, "是六十进制数（如 1:40），不是框架中的数字；请写成普通小数")
    try:
        value = Decimal(plain)
    except InvalidOperation:
        return _Refused(text, "不是有限的数字（.inf、.nan 不能作为分值）")
    if not value.is_finite():
        return _Refused(text, "不是有限的数字（.inf、.nan 不能作为分值）")
    if abs(value) >= MAX_NUMBER:
        return _Refused(text, "数值过大，不是合理的分值")
    return value


def _construct_int(loader: Any, node: Any) -> int | _Refused:
    text = str(loader.construct_scalar(node))
    if ":" in text:
        return _Refused(text, "是六十进制数（如 1:40），不是框架中的数字；请写成普通整数")
    value = yaml.SafeLoader.construct_yaml_int(loader, node)
    if abs(value) >= MAX_NUMBER:
        return _Refused(text, "数值过大，不是合理的数字")
    return int(value)


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_DecimalLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)

_EXPONENT_TEXT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+")


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
    """Every framework file in the search folders, in folder order.

    Two files that give one id (by file name, or by the ``id:`` they state) are an error naming
    both: which of them scored a sheet must never depend on the order of the folders.
    """
    found: dict[str, Path] = {}
    files: list[Path] = []
    for d in search_dirs():
        for f in sorted(d.glob("*.y*ml")):
            for key in sorted({f.stem, _stated_id(f) or f.stem}):
                other = found.get(key)
                if other is not None and other.resolve() != f.resolve():
                    raise UsageError(
                        f"评价框架 id“{key}”重复：{other} 与 {f} 都是这个框架；"
                        "请删除或改名其中一个（或用文件路径指定框架）"
                    )
                found[key] = f
            files.append(f)
    return files


_ID_LINE = re.compile(r"^id:[ \t]*[\"']?([^\"'\s#]+)", re.MULTILINE)


def _stated_id(path: Path) -> str | None:
    """The top-level ``id:`` of a framework file, read cheaply (without parsing the YAML)."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError:
        return None
    m = _ID_LINE.search(head)
    return m.group(1) if m else None


def load_framework(ref: str | Path) -> LoadedFramework:
    """Load a framework by id (``shaoguan-2023``) or by the path of a YAML file."""
    path = resolve(ref)
    return _load_cached(path, path.stat().st_mtime_ns)


def load_by_id(framework_id: str) -> LoadedFramework:
    """A framework named by its id only, looked up in the search folders; never a path.

    What a result file records is data from outside: a path written there (a YAML bomb, a
    device) must not be opened unless the user names the file himself.
    """
    text = str(framework_id)
    if (
        not text
        or any(ch in text for ch in "/\\")
        or text.startswith(".")
        or Path(text).suffix.lower()
        in {
            ".yaml",
            ".yml",
        }
    ):
        raise UsageError(
            f"记录中的评价框架“{text[:80]}”不是框架 id；如需使用某个框架文件，请用 --framework 指定"
        )
    for f in framework_files():
        if f.stem == text:
            return load_framework(f)
    known = ", ".join(f.stem for f in framework_files()) or "（无）"
    raise UsageError(f"找不到评价框架“{text[:80]}”。可用的框架：{known}")


def resolve(ref: str | Path) -> Path:
    """The file a framework reference names: a path, or an id looked up in the search folders."""
    candidate = Path(ref)
    if candidate.suffix.lower() in {".yaml", ".yml"} or candidate.exists():
        if not candidate.is_file():
            raise UsageError(f"找不到框架文件 {candidate}")
        return candidate.resolve()
    files = framework_files()
    for f in files:
        if f.stem == str(ref) or _stated_id(f) == str(ref):
            return f
    known = [f.stem for f in files]
    guess = difflib.get_close_matches(str(ref), known, n=1, cutoff=0.5)
    hint = f"是不是“{guess[0]}”？" if guess else ""
    raise UsageError(f"找不到评价框架“{ref}”。{hint}可用的框架：{', '.join(known) or '（无）'}")


def load_all() -> list[LoadedFramework]:
    """Every framework in the search folders, loaded and checked."""
    return [load_framework(f) for f in framework_files()]


@lru_cache(maxsize=64)
def _load_cached(path: Path, _mtime: int) -> LoadedFramework:
    from jixiao.framework import cache

    data = read_framework_bytes(path)  # bounded; a device or a pipe is refused before it is read
    framework = cache.get(data)  # a checked framework seen before (same bytes, same versions)
    if not isinstance(framework, Framework):
        framework = parse_framework(data, source=path)
        cache.put(data, framework)
    return LoadedFramework(framework, path, hashlib.sha256(data).hexdigest())


def read_framework_bytes(path: Path) -> bytes:
    """The bytes of a framework file: a regular file of at most :data:`MAX_FRAMEWORK_BYTES`.

    A device (``/dev/zero``) or a pipe is refused before it is read: reading one could block
    or never end.
    """
    try:
        st = path.stat()
    except OSError as e:
        raise UsageError(f"找不到框架文件 {path}（{os_reason(e)}）") from e
    if stat.S_ISDIR(st.st_mode):
        raise FrameworkError(
            path, [FrameworkProblem("", "这是一个文件夹，不是框架文件（请给出其中的 .yaml 文件）")]
        )
    if not stat.S_ISREG(st.st_mode):
        raise FrameworkError(path, [FrameworkProblem("", "不是普通文件（可能是设备或管道），拒绝读取")])
    if st.st_size > MAX_FRAMEWORK_BYTES:
        raise FrameworkError(
            path,
            [FrameworkProblem("", f"文件超过 {MAX_FRAMEWORK_BYTES >> 20} MB，不像一个评价框架，拒绝读取")],
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FRAMEWORK_BYTES + 1)
    except OSError as e:
        raise UsageError(f"无法读取框架文件 {path}（{os_reason(e)}）") from e
    if len(data) > MAX_FRAMEWORK_BYTES:
        raise FrameworkError(
            path,
            [FrameworkProblem("", f"文件超过 {MAX_FRAMEWORK_BYTES >> 20} MB，不像一个评价框架，拒绝读取")],
        )
    return data


def _yaml_error(source: str | Path, e: yaml.YAMLError, data: bytes | str = b"") -> FrameworkError:
    where, message = explain_yaml_error(e, data)
    return FrameworkError(source, [FrameworkProblem(where, message)])


# PyYAML's and libyaml's problem texts (each loader words some differently) → what is wrong,
# in Chinese. Checked in order; the first text found in the problem (or its context) wins.
_YAML_PROBLEMS: tuple[tuple[tuple[str, ...], str, bool], ...] = (
    (
        ("could not find expected ':'",),
        "这一项缺少冒号“:”（应写成“键: 值”，冒号后有空格），或上一行的引号没有闭合",
        True,
    ),
    (("tab character", "'\\t'"), "用了制表符（Tab）缩进或分隔；YAML 只能用空格缩进", False),
    (
        ("mapping values are not allowed", "found unexpected ':'"),
        '这里不能再出现“: ”：值里含有冒号时请给整个值加引号（如 title: "甲: 乙"），或检查这一行的缩进',
        False,
    ),
    (("',' or ']'",), "方括号“[”没有闭合（缺少“]”），或列表项之间缺少逗号", True),
    (("',' or '}'",), "花括号“{”没有闭合（缺少“}”），或各项之间缺少逗号", True),
    (
        ("expected '-' indicator", "while parsing a block collection"),
        "列表中有一行不以“- ”开头，或缩进与上面的列表项不同",
        False,
    ),
    (
        ("block sequence entries are not allowed",),
        "这里不能开始“- ”列表：列表应写在“键:”的下一行并缩进",
        False,
    ),
    (
        ("did not find expected key", "expected <block end>"),
        "这一行的缩进与同级的上一项不同，或值后面多了内容（值里有引号或冒号时请给整个值加引号）",
        False,
    ),
    (("undefined alias",), "引用了未定义的别名（“*名称”之前没有“&名称”）", False),
    (("duplicate anchor",), "锚点（“&名称”）重复定义", False),
    (
        ("unknown escape character",),
        "双引号中的反斜杠“\\”后面不是有效的转义字符；含反斜杠的文字请改用单引号",
        False,
    ),
    (("quoted scalar",), "引号没有闭合（这一处开始的引号在文件结束前没有配对的引号）", True),
    (("another document",), "文件中有多个 YAML 文档（用“---”分隔）；一个框架文件只能有一个", False),
    (
        ("unknown directive", "while scanning a directive"),
        "以“%”开头的行不是有效的 YAML 指令；请删除或给这个值加引号",
        False,
    ),
    (
        ("cannot start any token",),
        "字符{char}不能出现在值的开头（@ ` % 等是 YAML 的保留字符）；请给这个值加引号",
        False,
    ),
    (
        ("expected a comment or a line break", "expected comment or line break"),
        "值后面多了内容（如引号闭合后还有文字）；请给整个值加引号",
        False,
    ),
    (("expected node content",), "这里缺少值", False),
    (
        ("tag handle", "while parsing a tag", "while scanning a tag"),
        "无法识别以“!”开头的标记；请给以“!”开头的值加引号",
        False,
    ),
    (
        ("could not determine a constructor",),
        "不支持的 YAML 标记（以“!”开头）；框架文件只能写文字、数字、列表和映射",
        False,
    ),
    (("unhashable",), "键不能是列表或映射", False),
    (("end of stream",), "文件在中途结束（可能缺少闭合的引号或括号）", False),
)


def explain_yaml_error(e: yaml.YAMLError, data: bytes | str = b"") -> tuple[str, str]:
    """A YAML syntax error as (where, what is wrong), both in Chinese: "第 3 行第 5 列",
    "这一项缺少冒号…". A problem text not listed falls back to a Chinese sentence that quotes the
    parser's own words, never to the English alone."""
    if isinstance(e, yaml.reader.ReaderError):
        # libyaml counts bytes of a byte string; PyYAML counts characters once it has decoded.
        decoded = isinstance(data, bytes) and e.encoding == "unicode"
        text: bytes | str = data.decode("utf-8", "replace") if decoded and isinstance(data, bytes) else data
        index = max(0, min(e.position, len(text)))
        newline = "\n" if isinstance(text, str) else b"\n"
        line = text.count(newline, 0, index) + 1  # type: ignore[arg-type]
        column = index - (text.rfind(newline, 0, index) + 1) + 1  # type: ignore[arg-type]
        where = f"第 {line} 行第 {column} 列"
        if "control" in e.reason or "special" in e.reason:
            code = e.character if isinstance(e.character, int) else ord(str(e.character)[:1] or "?")
            return where, f"文件中有不允许的控制字符（U+{code:04X}），请删除"
        return where, "文件不是 UTF-8 编码的文本（可能是用 GBK 保存的）；请另存为 UTF-8"
    problem = str(getattr(e, "problem", None) or "")
    context = str(getattr(e, "context", None) or "")
    mark = getattr(e, "problem_mark", None)
    context_mark = getattr(e, "context_mark", None)
    for needles, template, at_context in _YAML_PROBLEMS:
        if any(n in problem or n in context for n in needles):
            if at_context and context_mark is not None:
                mark = context_mark
            char = _char_at(mark, data)
            if char == "“Tab”":
                template = _YAML_PROBLEMS[1][1]
            message = template.replace("{char}", char)
            break
    else:
        words = "；".join(w for w in (context, problem) if w) or str(e).splitlines()[0]
        message = f"YAML 格式错误，这一处无法读取（解析器的说明：{words}）"
    where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else ""
    return where, message


def _char_at(mark: Any, data: bytes | str) -> str:
    if mark is None:
        return ""
    text = data if isinstance(data, str) else data.decode("utf-8", "replace")
    lines = text.split("\n")
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        ch = lines[mark.line][mark.column]
        return "“Tab”" if ch == "\t" else f"“{ch}”"
    return ""


def _bounded_yaml(data: bytes | str, source: str | Path) -> Any:
    """The YAML document, after its size, depth, aliases and keys are checked; nothing is built
    before the checks pass."""
    if len(data) > MAX_FRAMEWORK_BYTES:
        raise FrameworkError(
            source, [FrameworkProblem("", f"内容超过 {MAX_FRAMEWORK_BYTES >> 20} MB，拒绝读取")]
        )
    # 1. Events only (C parser when present): nesting depth, before any node exists.
    depth = 0
    for event in yaml.parse(data, Loader=_DecimalLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                mark: Any = event.start_mark
                raise FrameworkError(
                    source,
                    [
                        FrameworkProblem(
                            f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "",
                            f"嵌套超过 {MAX_YAML_DEPTH} 层，不像一个评价框架，拒绝读取",
                        )
                    ],
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    # 2. The node graph (aliases are shared, not copied): its size with aliases expanded,
    #    counted once per node, and duplicate keys.
    loader = _DecimalLoader(data)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        problems = _check_nodes(root)
        if problems:
            raise FrameworkError(source, problems)
        return loader.construct_document(root)
    finally:
        loader.dispose()


def _check_nodes(root: yaml.Node) -> list[FrameworkProblem]:
    sizes: dict[int, int] = {}
    problems: list[FrameworkProblem] = []

    def size(node: yaml.Node, path: str, active: set[int]) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise FrameworkError("", [FrameworkProblem(path, "YAML 别名引用了自身（循环结构），拒绝读取")])
        active.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                total += size(child, f"{path}[{i}]", active)
                if total > MAX_YAML_NODES:
                    break
        elif isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for k, v in node.value:
                name = str(k.value) if isinstance(k, yaml.ScalarNode) else "?"
                here = f"{path}.{name}" if path else name
                if isinstance(k, yaml.ScalarNode) and k.tag != "tag:yaml.org,2002:merge":
                    if name in seen:
                        problems.append(
                            FrameworkProblem(here, "键重复出现（YAML 只会保留最后一个值），请删除重复的键")
                        )
                    seen.add(name)
                total += size(k, here, active) + size(v, here, active)
                if total > MAX_YAML_NODES:
                    break
        active.discard(key)
        sizes[key] = total
        if total > MAX_YAML_NODES:
            raise FrameworkError(
                "",
                [
                    FrameworkProblem(
                        path, f"展开 YAML 别名后超过 {MAX_YAML_NODES} 个节点（疑似“别名炸弹”），拒绝读取"
                    )
                ],
            )
        return total

    size(root, "", set())
    return problems


def _refused_values(raw: Any, path: str = "") -> list[FrameworkProblem]:
    """Every number the loader refused, and exponent-form text too large to be one."""
    found: list[FrameworkProblem] = []
    stack: list[tuple[Any, str]] = [(raw, path)]
    while stack:
        value, here = stack.pop()
        if isinstance(value, _Refused):
            found.append(FrameworkProblem(here, f"“{value.text[:40]}”{value.why}"))
        elif isinstance(value, str) and _EXPONENT_TEXT.fullmatch(value.strip()):
            try:
                number = Decimal(value.strip())
            except InvalidOperation:  # pragma: no cover - the pattern is a decimal
                continue
            if not number.is_finite() or abs(number) >= MAX_NUMBER:
                found.append(FrameworkProblem(here, f"“{value[:40]}”数值过大，不是合理的分值"))
        elif isinstance(value, dict):
            for k, v in value.items():
                stack.append((v, f"{here}.{k}" if here else str(k)))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                stack.append((v, f"{here}[{i}]"))
    return sorted(found, key=lambda p: p.path)


def parse_framework(data: bytes | str, source: str | Path = "<text>") -> Framework:
    """Parse and check framework YAML; raise :class:`FrameworkError` listing every problem.

    Structural errors (a wrong key, a value of the wrong kind) and the checks across nodes (sums,
    duplicate names, bands) are reported together, each naming its indicator and line.
    """
    try:
        raw = _bounded_yaml(data, source)  # a SafeLoader subclass: no arbitrary objects
    except FrameworkError as e:
        if str(e.source) == "":
            raise FrameworkError(source, e.problems) from None
        raise
    except yaml.YAMLError as e:
        raise _yaml_error(source, e, data) from e
    except RecursionError as e:
        raise FrameworkError(source, [FrameworkProblem("", "YAML 嵌套过深，拒绝读取")]) from e
    except UnicodeDecodeError as e:
        raise FrameworkError(source, [FrameworkProblem(*_not_utf8(data, e))]) from e
    refused = _refused_values(raw)
    if refused:
        raise FrameworkError(source, _placed(refused, raw, data))
    if not isinstance(raw, dict):
        raise FrameworkError(source, [FrameworkProblem("", "文件内容应为一个映射（键: 值）")])
    framework, problems = problems_of_data(raw)
    if problems or framework is None:
        raise FrameworkError(source, _placed(problems, raw, data))
    return framework


def _not_utf8(data: bytes | str, e: UnicodeDecodeError) -> tuple[str, str]:
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    start = max(0, min(e.start, len(raw)))
    line = raw[:start].count(b"\n") + 1
    column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
    return f"第 {line} 行第 {column} 列", "文件不是 UTF-8 编码的文本（可能是用 GBK 保存的）；请另存为 UTF-8"


_PATH_PART = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


def _parts(path: str) -> list[int | str]:
    return [int(m.group(2)) if m.group(2) is not None else m.group(1) for m in _PATH_PART.finditer(path)]


def _placed(problems: list[FrameworkProblem], raw: Any, data: bytes | str) -> list[FrameworkProblem]:
    """Each problem with the indicator (or grade band) it is about and its line in the file."""
    try:
        root = yaml.compose(data, Loader=_DecimalLoader)  # bounded already: it parsed once
    except (yaml.YAMLError, ValueError, RecursionError):
        root = None
    placed = []
    for problem in problems:
        line, where = _where(_parts(problem.path), raw, root)
        message = f"{problem.message}（{where}）" if where else problem.message
        placed.append((line or 0, FrameworkProblem(problem.path, message)))
    return [p for _, p in sorted(placed, key=lambda x: x[0])]  # in the order of the file


def _where(parts: list[int | str], raw: Any, root: Any) -> tuple[int | None, str]:
    names: list[str] = []
    band = None
    value = raw
    for i, part in enumerate(parts):
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and isinstance(value, dict) and i:
            if parts[i - 1] in ("indicators", "children"):
                names.append(str(value.get("name") or f"第 {part + 1} 项"))
            elif parts[i - 1] == "grades":
                band = str(value.get("label") or f"第 {part + 1} 档")
    # A key missing at the top has no line of its own (the mapping starts at line 1 or 2).
    line = _line(parts, root) if len(parts) > 1 or _line(parts, root, exact=True) else None
    bits = []
    if names:
        bits.append(f"指标“{'／'.join(names)}”")
    elif band is not None:
        bits.append(f"等级“{band}”")
    if line is not None:
        bits.append(f"第 {line} 行")
    return line, "，".join(bits)


def _line(parts: list[int | str], node: Any, exact: bool = False) -> int | None:
    """The line of the deepest node of the file a dotted path reaches (1-based); with ``exact``,
    None unless the whole path is there."""
    line = None
    for depth, part in enumerate(parts):
        last = exact and depth == len(parts) - 1 and isinstance(node, yaml.MappingNode)
        if last and not any(isinstance(k, yaml.ScalarNode) and k.value == part for k, _ in node.value):
            return None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            pair = next(
                ((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None
            )
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    if line is None and node is not None and hasattr(node, "start_mark"):
        line = node.start_mark.line + 1
    return line
