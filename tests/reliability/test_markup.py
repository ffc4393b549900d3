"""Sheet text is never rich markup: "[/]" or "[link=…]" in a sheet neither crashes nor renders."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.builders import shaoguan_sheet


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {"COLUMNS": "200", "PATH": "/usr/bin:/bin", "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    import os

    env = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args], capture_output=True, text=True, timeout=120, env=env
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"D3": "22.31[/]"},
        {"B3": "整体效能[/]"},
        {"B4": "[link=http://example.invalid]专项效能[/link]"},
        {"A1": "[bold red]标题[/]"},
    ],
    ids=["score", "name", "link", "title"],
)
@pytest.mark.parametrize("command", ["score", "review"])
def test_markup_in_a_sheet_is_printed_as_text(tmp_path, changes, command):
    if command == "review":
        scores = [22.31, 23, 5, 8, 4, 10, 10, 9.5, 7]
        changes = {
            "F2": "复核得分",
            **{f"F{r}": v for r, v in zip(range(3, 12), scores, strict=True)},
            **changes,
        }
    sheet = shaoguan_sheet(tmp_path / "表[bold]m.xlsx", changes)
    args = (
        ["score", str(sheet), "-f", "shaoguan-2023"]
        if command == "score"
        else ["review", str(sheet), "-f", "shaoguan-2023"]
    )
    done = _run(*args)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr
    assert "\x1b]8;" not in done.stdout  # no hyperlink rendered
    assert "表[bold]m.xlsx" in done.stdout


# -- every command that prints text from a sheet, a framework or a report --------------------

TEXTS = {"close": "[/]", "link": "[link=http://x]y[/link]", "esc": "\x1b[2J"}


def _in_sheet(text: str) -> str:
    return text.replace("\x1b", "_x001B_")  # as Excel stores ESC


def _framework(folder, text):
    import json

    from tests.conftest import FRAMEWORKS

    yaml_text = (FRAMEWORKS / "shaoguan-2023.yaml").read_text(encoding="utf-8")
    yaml_text = yaml_text.replace("id: shaoguan-2023", "id: marked-2023")
    yaml_text = yaml_text.replace(
        "title: 韶关市 2023 年度部门整体支出绩效自评", f"title: {json.dumps('框架' + text)}"
    )
    yaml_text = yaml_text.replace("  - name: 履职效能", f"  - name: {json.dumps('履职效能' + text)}")
    folder.mkdir()
    path = folder / "marked-2023.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    return path


def _case(command, text, tmp_path, monkeypatch):
    """The arguments that make ``command`` print ``text``."""
    if command == "batch":
        # A file name may hold ESC and "[", not "/" (a folder) or "//" (one separator).
        folder = tmp_path / "各单位"
        parts = text.replace("//", "").split("/")
        target = folder.joinpath(*[f"单位{parts[0]}", *parts[1:]])
        target.parent.mkdir(parents=True, exist_ok=True)
        name = target.with_name(target.name + "表.xlsx")
        shaoguan_sheet(name, {"A1": "标题" + _in_sheet(text), "B3": "整体效能" + _in_sheet(text)})
        return ["batch", str(folder), "--no-progress"], str(name.relative_to(tmp_path))
    if command in ("show", "list", "diff"):
        path = _framework(tmp_path / "frameworks", text)
        if command == "show":
            return ["frameworks", "show", str(path)], "履职效能" + text
        if command == "diff":
            return ["frameworks", "diff", "shaoguan-2023", str(path)], "履职效能" + text
        monkeypatch.setenv("JIXIAO_FRAMEWORKS", str(path.parent))
        return ["frameworks", "list"], "框架" + text
    if command == "import":
        from tests.builders import write_sheet

        rows = [
            ["某市 2024 年部门整体支出绩效评价指标体系" + _in_sheet(text)],
            ["一级指标", "二级指标", "分值", "评分标准"],
            ["投入" + _in_sheet(text) + "（25分）", "预算配置", 20, "按比例计算得分"],
            ["产出（80分）", "职责履行", 80, "按完成比例计算得分，满分为止"],
        ]
        table = write_sheet(tmp_path / "表.xlsx", rows)
        return ["frameworks", "import", str(table), "-o", str(tmp_path / "city-2024.yaml")], ("投入" + text)
    assert command == "audit"
    from tests.auditing.conftest import REPORTS

    report = (REPORTS / "project-report.txt").read_text(encoding="utf-8")
    report = report.replace("科普讲座场次", "科普讲座场次" + text)
    path = tmp_path / "report.txt"
    path.write_text(report, encoding="utf-8")
    return ["audit", str(path)], "科普讲座场次" + text


@pytest.mark.parametrize("text", list(TEXTS.values()), ids=list(TEXTS))
@pytest.mark.parametrize("command", ["batch", "show", "list", "diff", "import", "audit"])
def test_text_is_printed_as_text_by_every_command(tmp_path, monkeypatch, capsys, command, text):
    from jixiao.cli import main

    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.chdir(tmp_path)
    args, expected = _case(command, text, tmp_path, monkeypatch)
    code = main(args)
    out, err = capsys.readouterr()
    assert code != 3, err
    assert "MarkupError" not in out + err
    assert "\x1b" not in out + err  # no ESC byte reaches the terminal
    assert expected.replace("\x1b", "␛") in out + err, out + err


# -- verify and report -----------------------------------------------------------------------


def _marked_sheet(tmp_path, text):
    """A sheet whose title, one indicator name and its 扣分原因 carry ``text``."""
    return shaoguan_sheet(
        tmp_path / "表.xlsx",
        {
            "A1": "标题" + _in_sheet(text),
            "B3": "整体效能" + _in_sheet(text),
            "F2": "扣分原因",
            "F3": "原因" + _in_sheet(text),
        },
    )


@pytest.mark.parametrize("text", list(TEXTS.values()), ids=list(TEXTS))
@pytest.mark.parametrize("form", ["xlsx", "json"])
def test_verify_prints_text_as_text(tmp_path, monkeypatch, capsys, form, text):
    """A result edited after it was written: verify quotes what it shows and what it should."""
    import json

    from openpyxl import load_workbook

    from jixiao.cli import main

    monkeypatch.setenv("COLUMNS", "400")
    sheet = _marked_sheet(tmp_path, text)
    if form == "xlsx":
        result = tmp_path / "结果.xlsx"
        assert main(["score", str(sheet), "-f", "sheet", "-o", str(result)]) == 0
        wb = load_workbook(result)
        cell = next(c for row in wb["总表"].iter_rows() for c in row if str(c.value).startswith("整体效能"))
        cell.value = f"{cell.value}改"
        wb.save(result)
    else:
        result = tmp_path / "结果.json"
        assert main(["score", str(sheet), "-f", "sheet", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        node = next(n for n in data["indicators"] if n["path"][-1].startswith("整体效能"))
        node["path"][-1] += text  # raw, as anyone editing the JSON may write it
        result.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    code = main(["verify", str(result), str(sheet)])
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "MarkupError" not in out + err and "\x1b" not in out + err
    assert "\x1b]8;" not in out
    assert ("整体效能" + text).replace("\x1b", "␛") in out, out


REPORT_TEXTS = {**TEXTS, "html": "<b>粗</b>&amp;", "md": "*斜*_下_`码`|"}


def _report_text(path):
    """The text a reader of the report sees, and the raw file."""
    import html
    import re

    if path.suffix == ".docx":
        from docx import Document

        doc = Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return "\n".join(parts), path.read_bytes()
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", raw), raw.encode()
    return html.unescape(re.sub(r"<[^>]+>", "", raw)), raw.encode()


@pytest.mark.parametrize("text", list(REPORT_TEXTS.values()), ids=list(REPORT_TEXTS))
@pytest.mark.parametrize("suffix", [".md", ".html", ".docx"])
def test_report_writes_text_as_text(tmp_path, monkeypatch, capsys, suffix, text):
    from jixiao.cli import main

    monkeypatch.setenv("COLUMNS", "400")
    sheet = _marked_sheet(tmp_path, text)
    output = tmp_path / f"报告{suffix}"
    code = main(["report", str(sheet), "-f", "sheet", "-o", str(output), "--no-chart"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "MarkupError" not in out + err and "\x1b" not in out + err
    seen, raw = _report_text(output)
    if suffix == ".docx":
        import zipfile

        with zipfile.ZipFile(output) as zf:
            raw = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xml"))
    assert b"\x1b" not in raw
    shown = text.replace("\x1b", "␛")
    for expected in ("整体效能" + shown, "原因" + shown):
        assert expected in seen, seen
    if suffix == ".md" and any(ch in text for ch in "[*_`|"):
        assert shown.encode() not in raw  # escaped, so Markdown shows it as written
    if suffix == ".html" and any(ch in text for ch in "<&"):
        assert shown.encode() not in raw  # escaped, so a browser shows it as written


WORDING = 'total: "本次自评\\e[2J综合\\x85得分为 {total} 分，等级为“{grade}”。"\n'  # YAML escapes: ESC, NEL


@pytest.mark.parametrize(
    "suffix",
    [".md", ".html", ".docx"],
)
def test_a_bureaus_wording_shows_control_characters_too(tmp_path, capsys, suffix):
    """--templates text is not sheet text, yet it reaches the same files: shown, never raw."""
    from jixiao.cli import main
    from tests.builders import shaoguan_sheet as sheet_of

    wording = tmp_path / "措辞.yaml"
    wording.write_text(WORDING, encoding="utf-8")
    output = tmp_path / f"报告{suffix}"
    sheet = sheet_of(tmp_path / "表.xlsx")
    code = main(["report", str(sheet), "-f", "shaoguan-2023", "-o", str(output), "--templates", str(wording)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    seen, raw = _report_text(output)
    if suffix == ".docx":
        import zipfile

        with zipfile.ZipFile(output) as zf:
            raw = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xml"))
    assert b"\x1b" not in raw and "\x85".encode() not in raw
    assert "本次自评␛[2J综合⟨U+0085⟩得分为 98.81 分" in seen, seen


@pytest.mark.parametrize("text", list(TEXTS.values()), ids=list(TEXTS))
def test_score_prints_a_frameworks_names_as_text(tmp_path, capsys, monkeypatch, text):
    from jixiao.cli import main

    monkeypatch.setenv("COLUMNS", "400")
    framework = _framework(tmp_path / "frameworks", text)
    sheet = shaoguan_sheet(tmp_path / "表.xlsx")
    code = main(["score", str(sheet), "-f", str(framework)])
    out, err = capsys.readouterr()
    assert code in (0, 1), out + err
    assert "MarkupError" not in out + err
    assert "\x1b" not in out + err


def test_review_prints_a_frameworks_names_with_their_control_characters_visible(tmp_path):
    fw = _framework(tmp_path / "frameworks", "\x1b[2J")
    # the sheet names the indicator by an alias; the differences table prints the framework's name
    alias = "    points: 46\n    aliases: [履职效能]\n"
    text = fw.read_text(encoding="utf-8").replace("    points: 46\n", alias, 1)
    fw.write_text(text, encoding="utf-8")
    scores = [20, 23, 5, 8, 4, 10, 10, 9.5, 7]
    changes = {
        "F2": "复核得分",
        **{f"F{r}": v for r, v in zip(range(3, 12), scores, strict=True)},
    }
    sheet = shaoguan_sheet(tmp_path / "复核.xlsx", changes)
    done = _run("review", str(sheet), "-f", str(fw))
    assert "Traceback" not in done.stderr, done.stderr
    assert "得分有变化的指标" in done.stdout, done.stdout + done.stderr
    assert "\x1b[2J" not in done.stdout and "履职效能␛[2J" in done.stdout
