"""Parse a report's text into claims: score-table rows and the sentences that print figures.

Pure: works on a :class:`~jixiao.auditing.extract.ReportText` and does no I/O. PDF text
breaks lines inside sentences and flattens tables into lines of numbers ("整体效能 23 22.31
97"); the table is recognised line by line from its header, and the remaining lines are joined
into one stream in which sentences are matched, each offset remembering its line so every
claim keeps a place a person can find.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

from jixiao.auditing._project import NotANumber, nfkc, parse_decimal, split_label
from jixiao.auditing.extract import Line, ReportText, Row
from jixiao.auditing.model import Claim, ClaimKind, Figure, Parsed

POINTS, SCORE, RATE, GRADE, COUNT = "分值", "自评得分", "得分率（%）", "等级", "个数"
AMOUNT, SHARE, PRIOR, CHANGE, PERCENT = "金额", "占比（%）", "上年数", "增减额", "增减（%）"
BUDGET, SPENT, COMPLETION = "预算数", "执行数", "完成率（%）"

_NUM = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:\.\d+)?)"
_CJK = "\u4e00-\u9fff"
_TOTAL_WORDS = ("合计", "总计", "总分", "总得分", "得分合计")
_SUBTOTAL = "小计"
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|第[一二三四五六七八九十]+[章部分])"
)
_MAX_ROW_NAME = 30
"""A table row's name is short; a longer line without numbers is a sentence, not a row."""


def fold(text: str) -> str:
    """NFKC character by character where that keeps one character ("２２．３１，" → "22.31,").

    The folded text has the same length as the original, so a match in it is shown to the
    user in the report's own characters.
    """
    return "".join(f if len(f := nfkc(c)) == 1 else c for c in text)


def number(text: str) -> Decimal | None:
    """A printed number as an exact decimal ("31,570.33" → 31570.33), or None."""
    try:
        return parse_decimal(text, allow_percent=True)
    except NotANumber:
        return None


def _is_number(token: str) -> bool:
    return re.fullmatch(r"[+-]?" + _NUM + r"\s*[%分]?", token) is not None


# ---------------------------------------------------------------------------- the score table


@dataclass
class _Header:
    levels: int  # how many level columns (一级, 二级, 三级)
    numeric: list[str]  # numeric roles in column order: 分值, 自评得分, 得分率
    values: int  # text value columns between names and numbers (年度指标值, 实际完成值)
    notes: bool = False  # a text column after the numbers (偏差原因分析, 扣分原因)
    columns: dict[str, int] | None = None  # for Word tables: role → grid column


def _header_of(cells: list[str]) -> _Header | None:
    """The header's roles when ``cells`` (tokens or Word cells) are a score-table header."""
    keys = [re.sub(r"\s+", "", nfkc(c)) for c in cells]
    joined = "".join(keys)
    if not (("分值" in joined or "权重" in joined) and ("得分" in joined or "自评分" in joined)):
        return None
    if "预算数" in joined or "执行数" in joined:
        return None  # the funds block of a 项目支出绩效自评表, read by _funds_block
    levels = sum(1 for w in ("一级", "二级", "三级") if w in joined) or (1 if "指标" in joined else 0)
    numeric: list[str] = []
    columns: dict[str, int] = {}
    values = 0
    for i, k in enumerate(keys):
        role = None
        if k.startswith("得分率") or k == "得分率(%)":
            role = RATE
        elif k in ("分值", "权重", "分值(分)", "标准分", "指标分值"):
            role = POINTS
        elif k in ("自评得分", "得分", "自评分", "自评得分(分)", "得分(分)"):
            role = SCORE
        elif k in ("一级指标", "二级指标", "三级指标", "指标", "指标名称", "评价指标"):
            columns[k[:2] if k[0] in "一二三" else "一级"] = i
        elif k in ("年度指标值", "实际完成值", "指标值", "完成值", "目标值"):
            values += 1
        if role and role not in numeric:
            numeric.append(role)
            columns[role] = i
    if POINTS not in numeric or SCORE not in numeric:
        return None
    notes = any(w in joined for w in ("原因", "说明", "改进措施", "备注"))
    return _Header(levels=max(levels, 1), numeric=numeric, values=values, columns=columns, notes=notes)


@dataclass
class _RawRow:
    names: list[str]
    numbers: list[str]
    text: str
    place: str
    complete: bool = False  # every level's name is given (Word rows), nothing carries down


def _split_row(tokens: list[str], header: _Header) -> tuple[list[str], list[str]] | None:
    """Names and numeric tokens of one flattened table line, or None when it is no row."""
    last = max((i for i, t in enumerate(tokens) if _is_number(t)), default=-1)
    if last < 0:
        return None
    run_start = last
    while run_start > 0 and _is_number(tokens[run_start - 1]):
        run_start -= 1
    numbers = tokens[run_start : last + 1][-len(header.numeric) :]
    before = tokens[: last + 1 - len(numbers)]
    if header.values and len(before) > header.values:
        before = before[: len(before) - header.values]
    elif header.values:
        before = before[:1]
    names = [t for t in before if not re.search(r"\d", t)]
    return names, numbers


def _table_from_lines(lines: tuple[Line, ...]) -> tuple[list[_RawRow], _Header | None, set[int]]:
    """The first score table found in flattened lines, and the indexes of the lines it used."""
    for start, line in enumerate(lines):
        tokens = nfkc(line.text).split()
        header = _header_of(tokens)
        if header is None or len(line.text.strip()) > 60:
            continue
        rows: list[_RawRow] = []
        used = {start}
        pending: list[str] = []
        for i in range(start + 1, len(lines)):
            shown = " ".join(lines[i].text.split())
            text = fold(shown)
            tokens = text.split()
            if not tokens or "。" in text or (re.search(r"[，,；;：:]", text) and not re.search(r"\d", text)):
                break
            if _HEADING.match(text):
                break
            if re.fullmatch(r"\(?[%％]\)?|（%）", text):  # a wrapped "（%）" of the header
                used.add(i)
                continue
            if all(_is_number(t) for t in tokens) and rows and len(rows[-1].numbers) < len(header.numeric):
                rows[-1].numbers += tokens[: len(header.numeric) - len(rows[-1].numbers)]
                rows[-1].text += " " + shown
                used.add(i)
                continue
            split = _split_row(tokens, header)
            if split is None and header.notes and rows:
                rows[-1].text += " " + shown  # the reason column wrapped onto a line of its own
                used.add(i)
                continue
            if split is None:
                if len(text) > _MAX_ROW_NAME or len(tokens) > header.levels:
                    break
                pending = tokens  # an upper-level name on a line of its own (a merged cell)
                used.add(i)
                continue
            names, numbers = split
            if len(text) > 80:
                break
            if pending:
                names = pending + names
                shown = " ".join(pending) + " " + shown
                pending = []
            rows.append(_RawRow(names, numbers, shown, lines[i].place))
            used.add(i)
            if names and names[0] in _TOTAL_WORDS and len(rows) > 1:
                break  # a 合计 row after the others closes the table
        if rows:
            return rows, header, used
    return [], None, set()


_FUNDS_ROLES = {
    "年初预算数": "年初预算数",
    "全年预算数": BUDGET,
    "调整后预算数": BUDGET,
    "全年执行数": SPENT,
    "预算执行数": SPENT,
    "分值": POINTS,
    "执行率": COMPLETION,
    "得分": SCORE,
}


def _funds_block(lines: tuple[Line, ...]) -> tuple[Claim | None, set[int]]:
    """The funds row of a 项目支出绩效自评表 (年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分)."""
    for start, line in enumerate(lines[:-1]):
        tokens = nfkc(line.text).split()
        roles = [r for t in tokens if (r := _FUNDS_ROLES.get(re.sub(r"\(.*\)", "", t)))]
        if BUDGET not in roles or SPENT not in roles or len(line.text) > 60:
            continue
        shown = " ".join(lines[start + 1].text.split())
        values = fold(shown).split()
        first = next((i for i, t in enumerate(values) if _is_number(t)), None)
        if first is None:
            continue
        numbers = values[first:]
        if len(numbers) != len(roles) or not all(_is_number(t) for t in numbers):
            continue
        name = "".join(values[:first]) or "资金执行"
        figures = [Figure(r, t.rstrip("%分"), number(t)) for r, t in zip(roles, numbers, strict=True)]
        return Claim(ClaimKind.TABLE_ROW, shown, lines[start + 1].place, figures, (name,)), {start, start + 1}
    return None, set()


def _rows_from_table(rows: tuple[Row, ...]) -> tuple[list[_RawRow], _Header | None]:
    """Score rows of a Word table, by the columns its header names."""
    for h, row in enumerate(rows):
        header = _header_of(list(row.cells))
        if header is None or header.columns is None:
            continue
        cols = dict(header.columns)
        first = h + 1
        # A two-row header: "绩效指标" spans the level columns, named in the row below.
        if first < len(rows):
            below = [re.sub(r"\s+", "", nfkc(c)) for c in rows[first].cells]
            levels = {k[:2]: i for i, k in enumerate(below) if k in ("一级指标", "二级指标", "三级指标")}
            if levels:
                cols.update(levels)
                first += 1
        level_cols = [cols[k] for k in ("一级", "二级", "三级") if k in cols]
        if not level_cols:
            level_cols = [0]
        out: list[_RawRow] = []
        above: list[str] = [""] * len(level_cols)
        for r in rows[first:]:
            cells = list(r.cells)
            if not any(c.strip() for c in cells):
                continue
            names = [cells[c].strip() if c < len(cells) else "" for c in level_cols]
            numbers = [
                cells[cols[role]].strip() if cols[role] < len(cells) else "" for role in header.numeric
            ]
            if not any(numbers):
                continue
            # A vertically merged upper level repeats the text above (python-docx gives the same
            # cell); an empty lower level means the row is the upper level's own subtotal.
            filled = []
            for i, n in enumerate(names):
                filled.append(n)
                above[i] = n or above[i]
            while filled and not filled[-1]:
                filled.pop()
            out.append(
                _RawRow([n for n in filled if n], numbers, " ".join(c for c in cells if c), r.place, True)
            )
        if out:
            return out, header
    return [], None


def _table_claims(raw: list[_RawRow], header: _Header) -> list[Claim]:
    claims: list[Claim] = []
    upper: list[str] = []
    for row in raw:
        # "履职效能（46分）", "1.整体效能" → the name the sentences use.
        names = [split_label(n).name or n for n in row.names if n != _SUBTOTAL]
        subtotal = _SUBTOTAL in row.names
        figures = []
        for role, printed in zip(header.numeric, row.numbers, strict=False):
            value = number(printed)
            if value is not None:
                figures.append(Figure(role, printed.rstrip("%分"), value))
        if (names and names[0] in _TOTAL_WORDS) or (not names and not upper):
            claims.append(Claim(ClaimKind.TABLE_TOTAL, row.text, row.place, figures, ("合计",)))
            continue
        if not names:
            continue
        if row.complete or header.levels == 1:
            path: tuple[str, ...] = tuple(names)
        elif subtotal:
            path = tuple(names)
            upper = list(path)
        elif len(names) >= header.levels:
            path = tuple(names[: header.levels])
            upper = list(path[:-1])
        else:
            # Fewer names than level columns: the upper levels carry down from the rows above.
            keep = header.levels - len(names)
            path = (*upper[:keep], *names)
        claims.append(Claim(ClaimKind.TABLE_ROW, row.text, row.place, figures, path))
    if header.levels >= 2 and not any(r.complete for r in raw):
        _group_by_points(claims)
    return claims


def _group_by_points(claims: list[Claim]) -> None:
    """Flattened rows that all carry one name: find the 一级 rows by their 分值.

    "履职效能 46 45.31 98.5" followed by "整体效能 23 …" and "专项效能 23 …" prints the upper level
    as a row of its own. A row whose 分值 is the sum of the 分值 of the rows that follow it
    (two or more) heads them. Only applied when every row finds its place this way, so a layout
    it does not explain is left as it was read.
    """
    rows = [c for c in claims if c.kind is ClaimKind.TABLE_ROW]
    if len(rows) < 3 or any(len(r.path) != 1 for r in rows):
        return
    paths: list[tuple[str, ...]] = []
    i = 0
    while i < len(rows):
        head = rows[i].value(POINTS)
        total = Decimal(0)
        j = i + 1
        while head is not None and j < len(rows) and total < head:
            p = rows[j].value(POINTS)
            if p is None:
                break
            total += p
            j += 1
        if head is None or total != head or j - i < 3:
            return
        name = rows[i].subject
        paths.append((name,))
        paths += [(name, r.subject) for r in rows[i + 1 : j]]
        i = j
    for row, path in zip(rows, paths, strict=True):
        row.path = path


# ---------------------------------------------------------------------------- sentences


@dataclass
class _Stream:
    text: str  # folded (see fold), for matching
    shown: str  # the same characters as printed, for showing
    starts: list[int]
    places: list[str]

    def show(self, start: int, end: int) -> str:
        """The printed text between two offsets, on one line."""
        return " ".join(self.shown[start:end].split("\n")).strip(" ,;，；")

    def place(self, offset: int) -> str:
        return self.places[max(bisect.bisect_right(self.starts, offset) - 1, 0)]


def _stream(lines: tuple[Line, ...], skip: set[int]) -> _Stream:
    parts: list[str] = []
    shown: list[str] = []
    starts: list[int] = []
    places: list[str] = []
    length = 0
    # A line much shorter than most ends its paragraph (a title, a heading, a paragraph's last
    # line): a line break there is a boundary, elsewhere it only wraps a sentence.
    widths = sorted(len(line.text.strip()) for line in lines) or [0]
    short = widths[int(len(widths) * 0.8)] * 0.6
    previous = ""
    for i, line in enumerate(lines):
        original = "。" if i in skip else line.text.strip()
        text = fold(original)
        if previous and len(previous) < short and not previous.endswith(("，", ",", "、")):
            text, original = "\n" + text, "\n" + original
        elif parts and parts[-1][-1:].isdigit() and text[:1].isdigit():
            text, original = " " + text, " " + original  # never glue numbers from two lines
        previous = original.strip()
        starts.append(length)
        places.append(line.place)
        parts.append(text)
        shown.append(original)
        length += len(text)
    return _Stream("".join(parts), "".join(shown), starts, places)


_INDICATOR = re.compile(
    rf"(?:指标)?分值(?:为)?\s*{_NUM}\s*分\s*[,;]?\s*(?:自评)?得分(?:为)?\s*{_NUM}\s*分"
    rf"(?:\s*[,;]?\s*(?:自评)?得分率(?:为)?\s*{_NUM}\s*%)?"
)
_TOTAL = re.compile(
    rf"(综合得分|自评总分|自评得分|总得分|总分|评价得分|绩效得分|最终得分|得分)(?:为|是)?\s*:?\s*{_NUM}\s*分"
)
_PART = re.compile(rf"(?:^|[,;、和及与])\s*([{_CJK}]{{2,14}}?)(?:的)?得分(?:为)?\s*{_NUM}\s*分")
_GRADE = re.compile(
    r"等级(?:为|是|评定为|:)\s*[“\"「『]?(优秀|良好|中等|不合格|合格|优|良|中|差|低)[”\"」』]?"
    r"|等级\s*[“\"「『](优秀|良好|中等|不合格|合格|优|良|中|差|低)[”\"」』]"
)
_COUNT = re.compile(r"(\d+)\s*个(一级|二级|三级)指标")
_AMOUNT = re.compile(rf"{_NUM}\s*(万元|亿元|元)")
_SHARE_AFTER = re.compile(rf"^\s*(?:\([^)]{{0,30}}\))?\s*[,]?\s*占[{_CJK}]{{0,8}}?\s*{_NUM}\s*%")
_CHANGE_AFTER = re.compile(
    rf"^\s*[,]?\s*比上年(?:度)?(?:决算数)?\s*{_NUM}\s*(万元|亿元|元)\s*[,]?\s*"
    rf"(?:(增加|减少|上涨|下降|增长)\s*{_NUM}\s*(万元|亿元|元)\s*[,]?\s*)?"
    rf"(增加|减少|上涨|下降|增长)\s*{_NUM}\s*%"
)
_CHANGE_ONLY = re.compile(
    rf"(增加|减少)\s*{_NUM}\s*(万元|亿元|元)\s*[,]\s*(上涨|下降|增长|增加|减少)\s*{_NUM}\s*%"
)
_COMPLETION = re.compile(rf"(预算完成率|预算执行率|资金执行率|执行率)(?:为|达到|达)?\s*{_NUM}\s*%")
_TOTALISH = (
    *("综合", "自评", "总", "评价", "绩效", "整体", "部门"),
    *("项目", "本次", "单位", "最终", "我会", "经", "据此"),
)
"""Words just before "得分" that make it the report's total, not one indicator's score."""
_WHOLE_WORDS = ("总计", "合计", "总额", "总预算", "年初预算", "决算数", "预算收入", "总收入", "总支出")
_UNIT = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}
_NAME_TAIL = re.compile(rf"([{_CJK}]+)$")


def _clause_label(text: str, end: int) -> str:
    """The words just before ``end`` within their clause ("…其中:财政拨款收入" → 财政拨款收入)."""
    start = max(text.rfind(c, 0, end) for c in ",;:。、\n") + 1
    label = text[start:end].strip()
    m = _NAME_TAIL.search(label)
    # "2021 年我会财政拨款" → 我会财政拨款: a date's unit is not part of the label.
    return re.sub(r"^[年月日]", "", m.group(1)) if m else ""


def _subject_before(text: str, start: int, known: list[str]) -> str:
    """The indicator a sentence is about: the name printed just before its figures."""
    window = text[max(0, start - 40) : start]
    for name in sorted(known, key=len, reverse=True):
        if window.rstrip(" ,:;。(\n").endswith((name, name + "情况", name + "指标")):
            return name
    w = re.sub(r"[\s,:;。(]+$", "", window)
    for tail in ("的指标", "指标", "情况", "方面"):
        w = w.removesuffix(tail)
    m = _NAME_TAIL.search(w)
    if not m:
        return ""
    name = m.group(1)
    hits = [k for k in known if k in name]
    return max(hits, key=len) if hits else name[-8:]


def _sentence_end(text: str, start: int) -> int:
    end = text.find("。", start)
    return len(text) if end < 0 else end


def _wan(value: Decimal, unit: str) -> Decimal:
    return value * _UNIT[unit]


def _sentence_claims(stream: _Stream, known: list[str]) -> list[Claim]:
    text = stream.text
    claims: list[Claim] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def snippet(a: int, b: int) -> str:
        return stream.show(a, b)

    for m in _INDICATOR.finditer(text):
        name = _subject_before(text, m.start(), known)
        figures = [
            Figure(POINTS, m.group(1), number(m.group(1))),
            Figure(SCORE, m.group(2), number(m.group(2))),
        ]
        if m.group(3):
            figures.append(Figure(RATE, m.group(3), number(m.group(3))))
        label_start = max(0, m.start() - len(name) - 4) if name else m.start()
        shown = (name + "：" if name else "") + snippet(m.start(), m.end())
        claims.append(
            Claim(
                ClaimKind.INDICATOR, shown, stream.place(label_start if name else m.start()), figures, (name,)
            )
        )
        taken.append((m.start(), m.end()))

    # "得分为 93.89 分，其中…" (also with one clause such as the grade in between, or after "。").
    for m in re.finditer(rf"得分(?:为)?\s*{_NUM}\s*分(?:,[^,。其]{{1,20}})?\s*[,。]?\s*其中\s*[:,]?", text):
        if not free(m.start(), m.end()):
            continue
        end = _sentence_end(text, m.end())
        body = text[m.end() : end]
        parts = [p for p in _PART.finditer(body) if p.group(1) not in ("其中",)]
        if len(parts) < 2:
            continue
        figures = [Figure("合计", m.group(1), number(m.group(1)))]
        figures += [Figure(p.group(1), p.group(2), number(p.group(2))) for p in parts]
        head = _clause_label(text, m.start())
        claims.append(
            Claim(
                ClaimKind.PARTS,
                snippet(m.start() - len(head), end),
                stream.place(m.start()),
                figures,
                ("合计",),
            )
        )
        taken.append((m.start(), m.end() + parts[-1].end()))

    for m in _TOTAL.finditer(text):
        if not free(m.start(), m.end()):
            continue
        before = _clause_label(text, m.start())
        generic = m.group(1) in ("得分", "自评得分", "评价得分", "绩效得分")
        if generic and ((before and not before.endswith(_TOTALISH)) or (m.group(1) == "得分" and not before)):
            # "履职效能自评得分 45.31 分": a score of one indicator, not of the whole report.
            named = _subject_before(text, m.start(), known)
            if named:
                figures = [Figure(SCORE, m.group(2), number(m.group(2)))]
                claims.append(
                    Claim(
                        ClaimKind.INDICATOR,
                        named + "：" + snippet(m.start(), m.end()),
                        stream.place(m.start()),
                        figures,
                        (named,),
                    )
                )
                taken.append((m.start(), m.end()))
            continue
        if any(before.endswith(k) for k in known):
            continue
        claims.append(
            Claim(
                ClaimKind.TOTAL,
                snippet(m.start() - len(before), m.end()),
                stream.place(m.start()),
                [Figure("合计", m.group(2), number(m.group(2)))],
                ("合计",),
            )
        )
        taken.append((m.start(), m.end()))

    for m in _GRADE.finditer(text):
        label = m.group(1) or m.group(2)
        head = _clause_label(text, m.start())
        claims.append(
            Claim(
                ClaimKind.GRADE,
                snippet(m.start() - len(head), m.end()),
                stream.place(m.start()),
                [Figure(GRADE, label)],
                ("合计",),
            )
        )

    for m in _COUNT.finditer(text):
        level = m.group(2)
        claims.append(
            Claim(
                ClaimKind.COUNT,
                snippet(m.start(), m.end()),
                stream.place(m.start()),
                [Figure(COUNT, m.group(1), Decimal(m.group(1)))],
                (level + "指标",),
            )
        )

    claims += _funds_claims(stream)
    return claims


def _funds_claims(stream: _Stream) -> list[Claim]:
    text = stream.text
    claims: list[Claim] = []
    whole: tuple[Decimal, str, str] | None = None  # (万元, printed, label) of the last total seen
    labels: dict[str, list[tuple[Decimal, str]]] = {}
    change_spans: list[tuple[int, int]] = []
    for m in _AMOUNT.finditer(text):
        value = number(m.group(1))
        if value is None:
            continue
        wan = _wan(value, m.group(2))
        label = _clause_label(text, m.start())
        labels.setdefault(label, []).append((wan, m.group(1)))
        after = text[m.end() : m.end() + 80]
        share = _SHARE_AFTER.match(after)
        if share:
            figures = [
                Figure(AMOUNT, m.group(1) + m.group(2), wan),
                Figure(SHARE, share.group(1), number(share.group(1))),
            ]
            if whole is not None:
                figures.insert(0, Figure("总数", whole[1], whole[0]))
            claims.append(
                Claim(
                    ClaimKind.SHARE,
                    (label + " " if label else "") + stream.show(m.start(), m.end() + share.end()),
                    stream.place(m.start()),
                    figures,
                    (label or "金额",),
                )
            )
        change = _CHANGE_AFTER.match(after)
        if change:
            prior = number(change.group(1))
            figures = [Figure(AMOUNT, m.group(1) + m.group(2), wan)]
            if prior is not None:
                figures.append(Figure(PRIOR, change.group(1) + change.group(2), _wan(prior, change.group(2))))
            if change.group(4):
                delta = number(change.group(4))
                if delta is not None:
                    figures.append(
                        Figure(
                            CHANGE + change.group(3),
                            change.group(4) + change.group(5),
                            _wan(delta, change.group(5)),
                        )
                    )
            figures.append(Figure(PERCENT + change.group(6), change.group(7), number(change.group(7))))
            claims.append(
                Claim(
                    ClaimKind.CHANGE,
                    (label + " " if label else "") + stream.show(m.start(), m.end() + change.end()),
                    stream.place(m.start()),
                    figures,
                    (label or "金额",),
                )
            )
            change_spans.append((m.start(), m.end() + change.end()))
        rest = text[m.end() : m.end() + 6]
        if any(w in label for w in _WHOLE_WORDS) or re.match(r"\s*[,(]?\s*其中", rest):
            whole = (wan, m.group(1) + m.group(2), label)
    for m in _CHANGE_ONLY.finditer(text):
        if any(s <= m.start() < e for s, e in change_spans):
            continue
        delta = number(m.group(2))
        label = _clause_label(text, m.start())
        figures = [
            Figure(
                CHANGE + m.group(1),
                m.group(2) + m.group(3),
                _wan(delta, m.group(3)) if delta is not None else None,
            ),
            Figure(PERCENT + m.group(4), m.group(5), number(m.group(5))),
        ]
        claims.append(
            Claim(
                ClaimKind.CHANGE,
                (label + " " if label else "") + stream.show(m.start(), m.end()),
                stream.place(m.start()),
                figures,
                (label or "金额",),
            )
        )
    for m in _COMPLETION.finditer(text):
        prefix = _clause_label(text, m.start())
        figures = [Figure(COMPLETION, m.group(2), number(m.group(2)))]
        pair = _budget_pair(prefix, labels)
        if pair is not None:
            figures = [
                Figure(BUDGET, pair[0][1], pair[0][0]),
                Figure(SPENT, pair[1][1], pair[1][0]),
                *figures,
            ]
        claims.append(
            Claim(
                ClaimKind.COMPLETION,
                prefix + stream.show(m.start(), m.end()),
                stream.place(m.start()),
                figures,
                (prefix + m.group(1),),
            )
        )
    return claims


def _budget_pair(
    prefix: str, labels: dict[str, list[tuple[Decimal, str]]]
) -> tuple[tuple[Decimal, str], tuple[Decimal, str]] | None:
    """The 预算数 and 执行数 a completion rate is about, when each is printed exactly once."""
    for size in range(len(prefix), 1, -1):
        p = prefix[-size:]
        budget = [v for k, vs in labels.items() if k in (p + "收入", p + "预算", p + "预算数") for v in vs]
        spent = [v for k, vs in labels.items() if k in (p + "支出", p + "执行数", p + "支出数") for v in vs]
        if len(budget) == 1 and len(spent) == 1:
            return budget[0], spent[0]
    budget = list({v for k, vs in labels.items() if k.endswith("预算数") for v in vs})
    spent = list({v for k, vs in labels.items() if k.endswith("执行数") for v in vs})
    if len(budget) == 1 and len(spent) == 1:
        return budget[0], spent[0]
    return None


def _regroup_by_sentences(table: list[Claim], sentences: list[Claim]) -> None:
    """Place flattened rows under the 一级 label that the PDF printed in the middle of its group.

    Word and WPS centre a merged 一级 cell vertically, so in the PDF text its name lands on a
    middle row of its group ("管理效率 绩效管理 10 10 100") or on a line of its own there; read
    top-down, the rows above it would go to the previous 一级. When the report's sentences give
    every 一级's 分值 ("管理效率情况。指标分值 54 分"), the groups are the contiguous runs of rows
    whose 分值 add up to it, each holding its label; rows are regrouped only when such a
    partition exists.
    """
    rows = [c for c in table if c.kind is ClaimKind.TABLE_ROW]
    labels: list[tuple[str, int]] = []
    for i, row in enumerate(rows):
        if len(row.path) == 2 and row.text.startswith(row.path[0]) and row.path[0] not in dict(labels):
            labels.append((row.path[0], i))
    points: dict[str, Decimal] = {}
    for c in sentences:
        value = c.value(POINTS)
        if c.kind is ClaimKind.INDICATOR and value is not None:
            points.setdefault(c.subject, value)
    values = [v for r in rows if (v := r.value(POINTS)) is not None]
    if len(labels) < 2 or any(name not in points for name, _ in labels) or len(values) != len(rows):
        return
    paths: list[tuple[str, ...]] = []
    start = 0
    for name, at in labels:
        target = points[name]
        total = Decimal(0)
        end = start
        while end < len(rows) and (total != target or end <= at):
            total += values[end]
            end += 1
            if total > target:
                return
        if total != target or not start <= at < end:
            return
        paths += [(name, r.subject) for r in rows[start:end]]
        start = end
    if start != len(rows):
        return
    for row, path in zip(rows, paths, strict=True):
        row.path = path


# ---------------------------------------------------------------------------- the whole report


def parse(report: ReportText) -> Parsed:
    """Every claim in ``report``: its score table (if any) and its sentences with figures."""
    claims: list[Claim] = []
    table_place: str | None = None
    for table in report.tables:
        word_rows, word_header = _rows_from_table(table.rows)
        if word_header is not None and word_rows:
            claims = _table_claims(word_rows, word_header)
            table_place = table.place
            break
    skip: set[int] = set()
    flattened_two_levels = False
    if not claims:
        raw, header, skip = _table_from_lines(report.lines)
        if header is not None and raw:
            claims = _table_claims(raw, header)
            table_place = raw[0].place
            flattened_two_levels = header.levels == 2
    funds, funds_lines = _funds_block(report.lines)
    if funds is not None and claims:
        claims.append(funds)  # its 分值 counts towards the form's 总分
        skip |= funds_lines
    known = sorted({n for c in claims for n in c.path if n != "合计"})
    sentences = _sentence_claims(_stream(report.lines, skip), known)
    if flattened_two_levels:
        _regroup_by_sentences(claims, sentences)
    claims += sentences
    # Reading order: by the line a claim starts on (Word table rows keep their own order).
    index = {line.place: i for i, line in enumerate(report.lines)}
    claims.sort(key=lambda c: index.get(c.place, -1))
    return Parsed(claims=claims, table_found=table_place is not None, table_place=table_place)
