"""Pure checks of a report's claims against each other (and a framework, when given).

Each check ties two or more printed figures; a claim that takes part in no check stays
未核对. Rates and rounded figures are compared at the precision printed ("97" agrees with
96.9956, "98.5" with 98.50); sums of printed figures are exact. Only
:func:`jixiao.values.quantize` rounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.auditing._project import CATALOGUE, Finding, Position, decimals_of, name_key, plain, quantize
from jixiao.auditing.claims import (
    AMOUNT,
    BUDGET,
    CHANGE,
    COMPLETION,
    COUNT,
    PERCENT,
    POINTS,
    PRIOR,
    RATE,
    SCORE,
    SHARE,
    SPENT,
)
from jixiao.auditing.model import Claim, ClaimKind, Figure, Outcome, Parsed

HUNDRED = Decimal(100)
MAX_PLACES = 3
"""Other places named in one finding's message ("另见 …"); the claims list has them all."""
SHOWN_PLACES = 4
"""Decimals shown for an exact computed figure next to the printed one (96.9957)."""


@dataclass(frozen=True)
class Band:
    """A grade band: [minimum, maximum), the top one closed; ``names`` are the label variants."""

    label: str
    minimum: Decimal
    maximum: Decimal
    names: tuple[str, ...]


DEFAULT_BANDS = (
    Band("优", Decimal(90), Decimal(100), ("优", "优秀")),
    Band("良", Decimal(80), Decimal(90), ("良", "良好")),
    Band("中", Decimal(60), Decimal(80), ("中", "中等", "合格")),
    Band("差", Decimal(0), Decimal(60), ("差", "低", "不合格")),
)
"""财预〔2020〕10号 bands, used when no framework is given."""


@dataclass(frozen=True)
class Rules:
    """What the checks compare against: grade bands, precision and (optionally) framework 分值."""

    bands: tuple[Band, ...] = DEFAULT_BANDS
    precision: int = 2
    total_points: Decimal | None = None
    points: dict[tuple[str, ...], Decimal] | None = None  # name keys of a path → 分值
    framework_id: str | None = None


def agrees(printed: Decimal, exact: Decimal) -> bool:
    """True when ``exact`` rounded to the decimals ``printed`` shows is ``printed``."""
    return quantize(exact, decimals_of(printed)) == printed


def shown(exact: Decimal) -> str:
    """An exact figure for a message: as is when short, else to four decimals."""
    return (
        plain(exact)
        if decimals_of(exact.normalize()) <= SHOWN_PLACES
        else plain(quantize(exact, SHOWN_PLACES))
    )


def grade_for(total: Decimal, bands: Sequence[Band]) -> Band | None:
    """The band a rounded total falls in."""
    top = max(b.maximum for b in bands)
    for band in bands:
        if band.minimum <= total < band.maximum or total == band.maximum == top:
            return band
    return None


class _Checker:
    def __init__(self, rules: Rules):
        self.rules = rules
        self.findings: list[Finding] = []
        self.checks = 0
        self.failures = 0

    def tie(
        self,
        claims: Sequence[Claim],
        ok: bool,
        note: str,
        code: str,
        subject: str = "",
        path: tuple[str, ...] | None = None,
        **values: object,
    ) -> None:
        """Record one check on ``claims``: a ✓ note on each, or a ✗ note and one finding."""
        self.checks += 1
        mark = "✓" if ok else "✗"
        for c in claims:
            if f"{mark} {note}" not in c.notes:
                c.notes.append(f"{mark} {note}")
            if not ok:
                c.failed = True
        if not ok:
            self.failures += 1
            first = claims[0]
            places = list(dict.fromkeys(c.place for c in claims[1:] if c.place != first.place))
            kind = CATALOGUE[code]
            message = kind.template.format(what=subject or first.subject, **values)
            if places:
                more = " 等" if len(places) > MAX_PLACES else ""
                message += f"（另见 {'、'.join(places[:MAX_PLACES])}{more}）"
            self.findings.append(
                Finding(
                    code=code,
                    severity=kind.severity,
                    message=message,
                    position=Position(place=first.place),
                    path=first.path if path is None else path,
                )
            )

    def rate(
        self, claim: Claim, score: Decimal | None = None, points: Decimal | None = None, what: str = ""
    ) -> None:
        """得分率 printed on ``claim`` = 得分 ÷ 分值 × 100."""
        rate = claim.value(RATE)
        score = claim.value(SCORE) if score is None else score
        points = claim.value(POINTS) if points is None else points
        if rate is None or score is None or not points:
            return
        exact = score / points * HUNDRED
        self.tie(
            [claim],
            agrees(rate, exact),
            f"得分率 {plain(rate)} 与 {plain(score)} ÷ {plain(points)} × 100 = {shown(exact)}",
            "report-rate-mismatch",
            what or claim.subject,
            found=plain(rate),
            score=plain(score),
            points=plain(points),
            expected=shown(exact),
        )

    def same(self, role: str, a: Claim, others: Sequence[Claim], expected: Decimal, how: str) -> None:
        """A figure of ``a`` equals ``expected`` (from ``others``), at the precision ``a`` printed."""
        found = a.value(role)
        if found is None:
            return
        self.tie(
            [a, *others],
            agrees(found, expected),
            f"{role} {plain(found)} 与{how} {plain(expected)}",
            "report-figure-differs",
            a.subject,
            field=role,
            found=plain(found),
            other=f"{others[0].place}（{how}）",
            expected=plain(expected),
        )


def check(parsed: Parsed, rules: Rules | None = None) -> Outcome:
    """Tie every claim to the others it can be tied to; the claims carry their notes afterwards."""
    rules = rules or Rules()
    ck = _Checker(rules)
    claims = parsed.claims
    rows = [c for c in claims if c.kind is ClaimKind.TABLE_ROW]
    table_total = next((c for c in claims if c.kind is ClaimKind.TABLE_TOTAL), None)

    # The table: every row's rate, each upper level = the sum of its lower levels, 合计 = the sum.
    for row in rows:
        ck.rate(row)
    sums = _level_sums(rows)
    by_path = {r.path: r for r in rows}
    for path, (points, score, members) in sums.items():
        printed = by_path.get(path)
        if printed is None:
            continue
        for role, exact in ((POINTS, points), (SCORE, score)):
            found = printed.value(role)
            if found is not None:
                ck.tie(
                    [printed, *members],
                    found == exact,
                    f"{role} {plain(found)} 与下级合计 {plain(exact)}",
                    "report-sum-mismatch",
                    printed.subject,
                    field=role,
                    found=plain(found),
                    expected=plain(exact),
                )
    # The printed forest's roots: rows no printed row stands above (一级 rows, or the 二级 rows
    # of a table that prints its 一级 names only as merged labels).
    top = [r for r in rows if not any(r.path[:i] in by_path for i in range(1, len(r.path)))]
    table_points = _sum(r.value(POINTS) for r in top)
    table_score = _sum(r.value(SCORE) for r in top)
    if table_total is not None and rows:
        for role, summed in ((POINTS, table_points), (SCORE, table_score)):
            found = table_total.value(role)
            if found is not None and summed is not None:
                ck.tie(
                    [table_total, *top],
                    found == summed,
                    f"合计{role} {plain(found)} 与各行合计 {plain(summed)}",
                    "report-sum-mismatch",
                    "合计",
                    field=role,
                    found=plain(found),
                    expected=plain(summed),
                )
    if table_total is not None:
        ck.rate(table_total, what="合计")

    # Upper levels the table prints only through their children (the 韶关 layout).
    upper: dict[str, tuple[Decimal, Decimal]] = {}
    for path, (points, score, _members) in sums.items():
        if len(path) == 1:
            upper[path[0]] = (points, score)

    # Sentences about one indicator: their own rate, and the table's figures for that indicator.
    first_seen: dict[str, Claim] = {}
    for claim in (c for c in claims if c.kind is ClaimKind.INDICATOR):
        ck.rate(claim)
        name = claim.subject
        match = next((r for r in rows if r.subject == name), None)
        if match is not None:
            for role in (POINTS, SCORE, RATE):
                value = match.value(role)
                if value is not None:
                    ck.same(role, claim, [match], value, f"表中 {match.place}")
        elif name in upper:
            points, score = upper[name]
            members = sums[(name,)][2]
            for role, exact in ((POINTS, points), (SCORE, score)):
                ck.same(role, claim, members, exact, "表中下级合计")
        elif name in first_seen:
            other = first_seen[name]
            for role in (POINTS, SCORE, RATE):
                value = other.value(role)
                if value is not None:
                    ck.same(role, claim, [other], value, f"{other.place} 所写")
        first_seen.setdefault(name, claim)

    # The total: printed in sentences, in the 合计 row and as the sum of parts.
    total_claims = [c for c in claims if c.kind in (ClaimKind.TOTAL, ClaimKind.PARTS)]
    reference: Claim | None = table_total if table_total is not None and table_total.value(SCORE) else None
    reference_value = reference.value(SCORE) if reference is not None else None
    if reference is None and table_score is not None and rows:
        reference, reference_value = rows[0], table_score
    for claim in total_claims:
        value = claim.value("合计")
        if value is None:
            continue
        if claim.kind is ClaimKind.PARTS:
            parts = [f for f in claim.figures if f.role != "合计" and f.value is not None]
            exact = _sum(f.value for f in parts) or Decimal(0)
            ck.tie(
                [claim],
                agrees(value, exact),
                f"总分 {plain(value)} 与 "
                + " + ".join(plain(f.value) for f in parts if f.value is not None)
                + f" = {plain(exact)}",
                "report-sum-mismatch",
                "总分",
                field="得分",
                found=plain(value),
                expected=plain(exact),
            )
            _tie_parts(ck, claim, parts, rows, sums, first_seen)
        if reference is not None and reference_value is not None and claim is not reference:
            how = "表中合计" if reference is table_total else "表中各行合计"
            ck.tie(
                [claim, reference],
                agrees(value, reference_value),
                f"总分 {plain(value)} 与{how} {plain(reference_value)}",
                "report-figure-differs",
                "总分",
                field="得分",
                found=plain(value),
                other=f"{reference.place}（{how}）",
                expected=plain(reference_value),
            )
        elif reference is None:
            reference, reference_value = claim, value

    # The grade: from the total printed in the same sentence, else from the report's total.
    for claim in (c for c in claims if c.kind is ClaimKind.GRADE):
        label = claim.figures[0].printed
        near = next((t for t in total_claims if t.place == claim.place), None)
        total = near.value("合计") if near is not None else reference_value
        anchor = near or reference
        if total is None or anchor is None:
            continue
        band = grade_for(quantize(total, rules.precision), rules.bands)
        if band is None:
            continue
        ck.tie(
            [claim, anchor],
            label in band.names,
            f"等级“{label}”与总分 {plain(total)} 对应的等级“{band.label}”",
            "report-grade-mismatch",
            "等级",
            found=label,
            score=plain(total),
            expected=band.label,
        )

    # Counts of indicators, against the table.
    if rows:
        for claim in (c for c in claims if c.kind is ClaimKind.COUNT):
            level = {"一级指标": 1, "二级指标": 2, "三级指标": 3}[claim.subject]
            indicators = [r for r in rows if r.value(BUDGET) is None]  # not the funds row
            names = {r.path[:level] for r in indicators if len(r.path) >= level}
            deepest = max((len(r.path) for r in indicators), default=0)
            found = claim.value(COUNT)
            if found is None or level > deepest:
                continue
            ck.tie(
                [claim],
                found == len(names),
                f"{claim.subject} {plain(found)} 个，表中 {len(names)} 个",
                "report-count-mismatch",
                claim.subject,
                found=plain(found),
                expected=len(names),
            )

    _funds(ck, claims)
    _framework(ck, rows, table_total, rules)
    return Outcome(claims=claims, findings=ck.findings, checks=ck.checks, failures=ck.failures)


def _tie_parts(
    ck: _Checker,
    claim: Claim,
    parts: Sequence[Figure],
    rows: Sequence[Claim],
    sums: dict[tuple[str, ...], tuple[Decimal, Decimal, list[Claim]]],
    sentences: dict[str, Claim],
) -> None:
    """Each part of "其中管理效能得分 43.89 分" against the table or the sentence about it."""
    for part in parts:
        if part.value is None:
            continue
        row = next((r for r in rows if r.subject == part.role), None)
        expected: Decimal | None = None
        others: list[Claim] = []
        how = ""
        if row is not None:
            expected, others, how = row.value(SCORE), [row], f"表中 {row.place}"
        elif (part.role,) in sums:
            expected, others, how = sums[(part.role,)][1], sums[(part.role,)][2], "表中下级合计"
        elif part.role in sentences:
            other = sentences[part.role]
            expected, others, how = other.value(SCORE), [other], f"{other.place} 所写"
        if expected is None or not others:
            continue
        ck.tie(
            [claim, *others],
            agrees(part.value, expected),
            f"{part.role}得分 {plain(part.value)} 与{how} {plain(expected)}",
            "report-figure-differs",
            part.role,
            path=(part.role,),
            field="得分",
            found=plain(part.value),
            other=f"{others[0].place}（{how}）",
            expected=plain(expected),
        )


def _tie_ratio(
    ck: _Checker, claim: Claim, label: str, rate: Decimal, part: Decimal, whole: Decimal
) -> Decimal:
    """A printed percentage (占比, 完成率) against part ÷ whole × 100, at the precision printed.

    Returns the exact percentage.
    """
    exact = part / whole * HUNDRED
    ck.tie(
        [claim],
        agrees(rate, exact),
        f"{label} {plain(rate)}% 与 {plain(part)} ÷ {plain(whole)} × 100 = {shown(exact)}",
        "report-share-mismatch",
        claim.subject,
        found=plain(rate),
        part=plain(part),
        whole=plain(whole),
        expected=shown(exact),
    )
    return exact


def _funds(ck: _Checker, claims: Sequence[Claim]) -> None:
    for claim in claims:
        if claim.kind is ClaimKind.SHARE:
            whole, part, share = claim.value("总数"), claim.value(AMOUNT), claim.value(SHARE)
            if whole and part is not None and share is not None:
                _tie_ratio(ck, claim, "占比", share, part, whole)
        elif claim.kind is ClaimKind.CHANGE:
            current, prior = claim.value(AMOUNT), claim.value(PRIOR)
            if current is None or prior is None:
                continue
            delta = current - prior
            for f in claim.figures:
                if f.role.startswith(CHANGE) and f.value is not None:
                    ck.tie(
                        [claim],
                        agrees(f.value, abs(delta)) and _direction(f.role, delta),
                        f"{f.role} {plain(f.value)} 与 {plain(current)} − {plain(prior)} = {plain(delta)}",
                        "report-change-mismatch",
                        claim.subject,
                        found=f.printed,
                        expected=plain(delta),
                    )
                if f.role.startswith(PERCENT) and f.value is not None and prior:
                    exact = abs(delta) / prior * HUNDRED
                    ck.tie(
                        [claim],
                        agrees(f.value, exact) and _direction(f.role, delta),
                        f"{f.role} {plain(f.value)}% 与 |{plain(current)} − {plain(prior)}| ÷ {plain(prior)}"
                        f" × 100 = {shown(exact)}",
                        "report-change-mismatch",
                        claim.subject,
                        found=f.printed + "%",
                        expected=shown(exact) + "%",
                    )
        if claim.value(COMPLETION) is not None:
            budget, spent, rate = claim.value(BUDGET), claim.value(SPENT), claim.value(COMPLETION)
            if budget and spent is not None and rate is not None:
                exact = _tie_ratio(ck, claim, "完成率", rate, spent, budget)
                points, score = claim.value(POINTS), claim.value(SCORE)
                if points is not None and score is not None:
                    # 得分 = 执行率 × 分值 (满分为止); forms compute it from the exact or the printed rate.
                    candidates = [min(r, HUNDRED) / HUNDRED * points for r in (exact, rate)]
                    ck.tie(
                        [claim],
                        any(agrees(score, c) for c in candidates),
                        f"得分 {plain(score)} 与执行率 × 分值 = {shown(candidates[0])}",
                        "report-sum-mismatch",
                        claim.subject,
                        field="得分",
                        found=plain(score),
                        expected=shown(candidates[0]),
                    )


def _direction(role: str, delta: Decimal) -> bool:
    up = any(w in role for w in ("增加", "上涨", "增长"))
    return delta == 0 or (delta > 0) == up


def _framework(ck: _Checker, rows: Sequence[Claim], total: Claim | None, rules: Rules) -> None:
    if rules.points is None:
        return
    for row in rows:
        expected = rules.points.get(tuple(name_key(n) for n in row.path))
        found = row.value(POINTS)
        if expected is not None and found is not None:
            ck.tie(
                [row],
                found == expected,
                f"分值 {plain(found)} 与框架 {rules.framework_id} 的 {plain(expected)}",
                "report-points-framework",
                row.subject,
                found=plain(found),
                framework=rules.framework_id,
                expected=plain(expected),
            )
    if total is not None and rules.total_points is not None:
        found = total.value(POINTS)
        if found is not None:
            ck.tie(
                [total],
                found == rules.total_points,
                f"合计分值 {plain(found)} 与框架总分 {plain(rules.total_points)}",
                "report-points-framework",
                "合计",
                found=plain(found),
                framework=rules.framework_id,
                expected=plain(rules.total_points),
            )


def _level_sums(rows: Sequence[Claim]) -> dict[tuple[str, ...], tuple[Decimal, Decimal, list[Claim]]]:
    """For every upper-level path: the sum of 分值 and 得分 of the top-most printed rows under it.

    Those are its direct children where printed, else the deeper rows (a 项目支出 table prints
    only 三级 rows under merged 一级/二级 labels).
    """
    out: dict[tuple[str, ...], tuple[Decimal, Decimal, list[Claim]]] = {}
    paths = {r.path for r in rows}
    prefixes = {r.path[:i] for r in rows for i in range(1, len(r.path))}
    for prefix in sorted(prefixes, key=len):
        n = len(prefix)
        under = [
            r
            for r in rows
            if len(r.path) > n
            and r.path[:n] == prefix
            and not any(r.path[:k] in paths for k in range(n + 1, len(r.path)))
        ]
        points, score = _sum(r.value(POINTS) for r in under), _sum(r.value(SCORE) for r in under)
        if under and points is not None and score is not None:
            out[prefix] = (points, score, under)
    return out


def _sum(values: object) -> Decimal | None:
    total = Decimal(0)
    seen = False
    for v in values:  # type: ignore[attr-defined]
        if v is None:
            return None
        total += v
        seen = True
    return total if seen else None


__all__ = ["DEFAULT_BANDS", "Band", "Rules", "agrees", "check", "grade_for"]
