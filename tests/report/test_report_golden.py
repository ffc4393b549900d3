"""Golden report for the seed sheets: the exact figures of the published reports, and nothing
in the document that the calculator did not produce."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from jixiao.report import (
    ReportInput,
    build_report,
    load_templates,
    render_docx,
    render_html,
    render_markdown,
)
from jixiao.report.model import Figure
from jixiao.scoring.pipeline import score_file
from tests.conftest import SHEETS
from tests.report.helpers import (
    W,
    calculator_figures,
    docx_paragraphs,
    docx_tables,
    docx_texts,
    docx_xml,
    numbers_in,
)

SUMMARY = [
    ["一级指标", "二级指标", "分值", "自评得分", "得分率（%）"],
    ["合计", "合计", "100", "98.81", "98.81"],
    ["履职效能", "整体效能", "23", "22.31", "97"],
    ["履职效能", "专项效能", "23", "23", "100"],
    ["管理效率", "预算编制", "5", "5", "100"],
    ["管理效率", "预算执行", "8", "8", "100"],
    ["管理效率", "信息公开", "4", "4", "100"],
    ["管理效率", "绩效管理", "10", "10", "100"],
    ["管理效率", "采购管理", "10", "10", "100"],
    ["管理效率", "资产管理", "10", "9.5", "95"],
    ["管理效率", "运行成本", "7", "7", "100"],
]
SENTENCES = [
    "本部门本次自评综合得分为 98.81 分，绩效等级为“优”。",
    "（一）履职效能情况。指标分值 46 分，自评得分 45.31 分，得分率 98.5%。",
    "（二）管理效率情况。指标分值 54 分，自评得分 53.5 分，得分率 99.07%。",
]


@pytest.fixture(scope="module")
def shaoguan_eval():
    return score_file(SHEETS / "shaoguan-2023-kexie.xlsx")


@pytest.fixture(scope="module")
def guangzhou_eval():
    return score_file(SHEETS / "guangzhou-2021-illustrative.xlsx")


def _doc(ev, **kw):
    return build_report(ReportInput(ev.result, unit=ev.table.unit_name), load_templates(), **kw)


@pytest.fixture(scope="module")
def shaoguan_docx(shaoguan_eval):
    return render_docx(_doc(shaoguan_eval))


def test_docx_summary_table_is_laid_out_as_in_the_report(shaoguan_docx):
    tables = docx_tables(shaoguan_docx)
    assert tables[0] == SUMMARY
    assert tables[1] == [
        ["指标", "分值", "自评得分", "扣分", "扣分原因"],
        ["履职效能／整体效能", "23", "22.31", "0.69", "（评分表未填写）"],
        ["管理效率／资产管理", "10", "9.5", "0.5", "（评分表未填写）"],
    ]


def test_docx_sentences_carry_the_seed_figures(shaoguan_docx):
    paragraphs = docx_paragraphs(shaoguan_docx)
    for sentence in SENTENCES:
        assert sentence in paragraphs
    assert paragraphs[0] == "韶关市科学技术协会部门整体支出绩效自评得分情况"
    assert paragraphs.index(SENTENCES[1]) < paragraphs.index(SENTENCES[2])


@pytest.mark.parametrize("sheet", ["shaoguan-2023-kexie", "guangzhou-2021-illustrative"])
def test_every_figure_in_the_docx_comes_from_the_calculator(sheet):
    ev = score_file(SHEETS / f"{sheet}.xlsx")
    texts = docx_texts(render_docx(_doc(ev)))
    allowed = calculator_figures(ev.result)
    # Sheet text (扣分原因) is quoted as written; its own figures are the department's words.
    reasons = [n.reason for n in ev.result.walk() if n.reason]
    quoted = set(numbers_in(reasons))
    found = numbers_in([t for t in texts if t not in reasons])
    assert found, "the document has figures"
    assert [f for f in found if f not in allowed] == []
    assert quoted <= set(numbers_in(texts)) | {""}


def test_seed_figures_are_among_the_numbers_and_the_slip_is_not(shaoguan_docx):
    found = numbers_in(docx_texts(shaoguan_docx))
    for figure in ("98.81", "45.31", "98.5", "53.5", "99.07", "22.31", "9.5"):
        assert figure in found
    # The published 合计 row says 得分率 100; the document's 合计 row has the true 98.81.
    assert docx_tables(shaoguan_docx)[0][1][4] == "98.81"


def test_docx_typography(shaoguan_docx):
    root = docx_xml(shaoguan_docx)
    q = lambda tag: f"{{{W}}}{tag}"  # noqa: E731
    body_runs = [
        r
        for p in root.iter(q("p"))
        for r in p.iter(q("r"))
        if "综合得分" in "".join(t.text or "" for t in r.iter(q("t")))
    ]
    assert body_runs and all(
        r.find(f"{q('rPr')}/{q('rFonts')}").get(q("eastAsia")) == "仿宋_GB2312" for r in body_runs
    )
    table = next(root.iter(q("tbl")))
    borders = table.find(f"{q('tblPr')}/{q('tblBorders')}")
    assert {b.tag.split("}")[1]: b.get(q("val")) for b in borders} == {
        "top": "single",
        "left": "single",
        "bottom": "single",
        "right": "single",
        "insideH": "single",
        "insideV": "single",
    }
    fonts = {r.find(f"{q('rPr')}/{q('rFonts')}").get(q("eastAsia")) for r in table.iter(q("r"))}
    assert fonts == {"宋体", "黑体"}  # body cells, header cells

    import io

    from docx import Document

    cells = Document(io.BytesIO(shaoguan_docx)).tables[0].rows[2].cells
    assert [c.paragraphs[0].alignment for c in cells[2:]] == [WD_ALIGN_PARAGRAPH.RIGHT] * 3
    assert cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_docx_embeds_the_chart(shaoguan_eval, shaoguan_docx):
    doc = _doc(shaoguan_eval)
    figure = next(b for b in doc.blocks if isinstance(b, Figure))
    assert figure.png.startswith(b"\x89PNG")
    assert "整体效能 97%" in figure.alt and "资产管理 95%" in figure.alt
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(shaoguan_docx)) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == 1 and z.read(media[0]) == figure.png


def test_no_chart_when_asked_or_without_a_cjk_font(shaoguan_eval, monkeypatch):
    assert not any(isinstance(b, Figure) for b in _doc(shaoguan_eval, chart=False).blocks)
    monkeypatch.setattr("jixiao.report.charts.cjk_font", lambda: None)
    doc = _doc(shaoguan_eval)
    assert not any(isinstance(b, Figure) for b in doc.blocks)
    assert SENTENCES[0] in doc.text_lines()


def test_guangzhou_bonus_and_reasons(guangzhou_eval):
    data = render_docx(_doc(guangzhou_eval))
    paragraphs = docx_paragraphs(data)
    assert "本部门本次自评综合得分为 93.89 分（含加减分项 0 分），绩效等级为“优”。" in paragraphs
    assert "（一）管理效能情况。指标分值 50 分，自评得分 43.89 分，得分率 87.78%。" in paragraphs
    assert "（二）履职效能情况。指标分值 50 分，自评得分 50 分，得分率 100%。" in paragraphs
    assert "（三）加减分项情况。得分 0 分。" in paragraphs
    lost = docx_tables(data)[1]
    assert [
        "管理效能／资金管理／预算执行率",
        "4",
        "3.45",
        "0.55",
        "财政拨款预算完成率 98.62%，未达 100%",
    ] in lost
    assert len(lost) == 1 + 8  # header + the eight 三级 indicators that lost points
    summary = docx_tables(data)[0]
    assert summary[1] == ["合计", "合计", "100", "93.89", "93.89"]
    assert ["加减分项", "", "—", "0", "—"] in summary


def test_markdown_carries_the_same_table_and_sentences(shaoguan_eval):
    text = render_markdown(_doc(shaoguan_eval), "report-chart.png")
    for sentence in SENTENCES:
        assert f"\n{sentence}\n" in text
    assert "| **合计** |  | **100** | **98.81** | **98.81** |" in text
    assert "| 履职效能 | 整体效能 | 23 | 22.31 | 97 |" in text
    assert "|  | 资产管理 | 10 | 9.5 | 95 |" in text
    assert "](<report-chart.png>)" in text
    allowed = calculator_figures(shaoguan_eval.result)
    assert [f for f in numbers_in([text]) if f not in allowed] == []


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.paragraphs: list[str] = []
        self._in: str | None = None
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th", "p"):
            self._in = tag
            (self.rows[-1] if tag != "p" else self.paragraphs).append("")

    def handle_endtag(self, tag):
        if tag in ("td", "th", "p"):
            self._in = None

    def handle_data(self, data):
        if self._in == "p":
            self.paragraphs[-1] += data
        elif self._in:
            self.rows[-1][-1] += data


def test_html_carries_the_same_table_and_sentences(shaoguan_eval):
    page = render_html(_doc(shaoguan_eval))
    parser = _Cells()
    parser.feed(page)
    assert parser.rows[:3] == [SUMMARY[0], ["合计", "100", "98.81", "98.81"], SUMMARY[2]]
    assert parser.rows[3] == ["专项效能", "23", "23", "100"]  # 履职效能 spans two rows
    for sentence in SENTENCES:
        assert sentence in parser.paragraphs
    assert 'rowspan="2"' in page and 'rowspan="7"' in page and 'colspan="2"' in page
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="整体效能 97%', page)


def test_docx_table_properties_are_in_schema_order(shaoguan_docx):
    # Word refuses to open a file whose tblPr children are out of the order the schema sets.
    schema = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
              "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
              "shd", "tblLayout", "tblCellMar", "tblLook"]  # fmt: skip
    root = docx_xml(shaoguan_docx)
    for tbl_pr in root.iter(f"{{{W}}}tblPr"):
        tags = [child.tag.split("}")[1] for child in tbl_pr]
        assert "tblBorders" in tags
        assert tags == sorted(tags, key=schema.index)


def test_control_characters_from_a_cell_do_not_break_the_docx(shaoguan_eval):
    # Excel stores a vertical tab as _x000B_; read back it is a character XML cannot hold.
    import dataclasses

    r = shaoguan_eval.result
    first = r.indicators[0]
    lost = dataclasses.replace(first.children[0], reason="未完成\x0b部分任务\x85（\x1b[2J）")
    first = dataclasses.replace(first, children=(lost, *first.children[1:]))
    r = dataclasses.replace(r, indicators=(first, *r.indicators[1:]))
    data = render_docx(build_report(r, load_templates(), chart=False))
    # shown as every other output shows them, not dropped (C0) or written raw (C1)
    assert docx_tables(data)[1][1][4] == "未完成␋部分任务⟨U+0085⟩（␛[2J）"


def test_docx_page_numbers_and_a4(shaoguan_docx):
    import io
    import zipfile

    from docx import Document

    with zipfile.ZipFile(io.BytesIO(shaoguan_docx)) as z:
        footers = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/footer")]
    assert any('w:instr="PAGE"' in f and "— " in f for f in footers)
    section = Document(io.BytesIO(shaoguan_docx)).sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.left_margin)
    assert [round(x.mm) for x in sizes] == [210, 297, 37, 28]  # stored in twips


def test_project_sheet_is_reported_as_a_project(tmp_path):
    from jixiao.cli import main

    out = tmp_path / "project.md"
    assert main(["report", str(SHEETS / "mof-project-2020-example.xlsx"), "-o", str(out), "--no-chart"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "项目支出绩效自评得分情况" in text and "项目自评情况总表" in text
    assert "本项目本次自评综合得分为 94.46 分" in text
    assert "部门整体" not in text and "本部门" not in text
