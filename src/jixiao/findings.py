"""The catalogue of findings about a sheet: stable code, severity, Chinese message, position.

Every problem found while reading, matching or checking a sheet becomes a :class:`Finding`.
Codes are stable kebab-case identifiers (tests and JSON consumers rely on them); messages are
Chinese templates filled from keyword arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is: an error stops scoring, a warning does not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class FindingType:
    """One entry of the catalogue."""

    code: str
    severity: Severity
    title: str
    template: str


_E, _W = Severity.ERROR, Severity.WARNING

CATALOGUE: dict[str, FindingType] = {
    t.code: t
    for t in (
        # Reading the sheet.
        FindingType("score-not-a-number", _E, "得分不是数字", "自评得分“{value}”{why}"),
        FindingType("points-not-a-number", _E, "分值不是数字", "分值“{value}”{why}"),
        FindingType(
            "formula-without-value",
            _E,
            "公式没有计算结果",
            "单元格是公式（{formula}）但没有保存计算结果；请在 Excel/WPS 中打开并保存后再评分，"
            "不会把它当作 0",
        ),
        FindingType("cell-error-value", _E, "单元格错误值", "单元格为错误值 {value}"),
        FindingType("score-missing", _E, "缺少自评得分", "未填写自评得分"),
        FindingType("score-above-max", _E, "得分超过分值", "自评得分 {score} 超过分值 {points}"),
        FindingType("score-below-min", _E, "得分低于下限", "自评得分 {score} 低于下限 {minimum}"),
        FindingType(
            "score-precision",
            _W,
            "小数位数过多",
            "自评得分 {score} 的小数位数超过 {precision} 位，计算时按精确值参与，显示时四舍五入",
        ),
        # Matching rows to the framework.
        FindingType("indicator-missing", _E, "缺少指标", "表中缺少指标“{name}”"),
        FindingType("indicator-unknown", _E, "未知指标", "指标“{name}”不在框架“{framework}”中{hint}"),
        FindingType(
            "name-folded",
            _W,
            "名称含不可见字符或繁体字",
            "指标名称“{name}”含{what}，已按“{matched}”匹配；建议在评分表中改正",
        ),
        FindingType("indicator-duplicate", _E, "重复指标", "指标“{name}”重复出现（首次出现在 {first}）"),
        FindingType("points-mismatch", _E, "分值与框架不符", "分值 {found} 与框架规定的分值 {expected} 不符"),
        FindingType(
            "label-points-mismatch",
            _E,
            "标签中的分值与框架不符",
            "名称“{label}”中写明 {found} 分，框架规定为 {expected} 分",
        ),
        FindingType("points-missing", _E, "缺少分值", "由本表定义的指标没有填写分值"),
        FindingType(
            "children-points-sum",
            _E,
            "下级分值合计不符",
            "下级指标分值合计 {found}，应等于本指标分值 {expected}",
        ),
        FindingType(
            "children-missing",
            _E,
            "缺少下级指标",
            "框架要求在指标“{name}”下由本表列出下级指标及分值，但表中没有",
        ),
        FindingType(
            "bonus-out-of-range",
            _E,
            "加减分超出范围",
            "加减分合计 {score} 超出允许范围 {minimum} 至 {maximum}",
        ),
        # Figures the sheet reports about itself.
        FindingType(
            "reported-score-mismatch",
            _W,
            "表中小计与计算结果不符",
            "表中填写的得分 {found} 与计算结果 {expected} 不符",
        ),
        FindingType(
            "reported-rate-mismatch",
            _W,
            "表中得分率与计算结果不符",
            "表中填写的得分率 {found} 与计算结果 {expected} 不符",
        ),
        FindingType(
            "reported-points-mismatch",
            _W,
            "表中合计分值不符",
            "表中填写的合计分值 {found} 与{basis} {expected} 不符",
        ),
        FindingType(
            "reported-grade-mismatch",
            _W,
            "表中等级与计算结果不符",
            "表中填写的等级“{found}”与计算结果“{expected}”不符",
        ),
        FindingType(
            "deduction-without-reason",
            _W,
            "扣分未说明原因",
            "得分 {score} 低于分值 {points}，但没有填写扣分原因",
        ),
        # Indicators scored by a 计分规则 from raw data.
        FindingType(
            "rule-input-missing",
            _E,
            "缺少计分数据",
            "按计分规则计分所需的{names}未填写，无法计算得分（不会按 0 分计）",
        ),
        FindingType(
            "rule-input-incomplete",
            _W,
            "计分数据不全",
            "按计分规则计分所需的{names}未填写，按填写的自评得分 {score} 计",
        ),
        FindingType("rule-input-invalid", _E, "计分数据无法使用", "{problem}"),
        FindingType(
            "framework-info-placeholder",
            _W,
            "框架信息待填写",
            "表中没有{field}：框架文件中暂填“{placeholder}”，请改为实际的{field}（或导入时用 {option} 指定）",
        ),
        FindingType(
            "framework-template-departure",
            _W,
            "与模板框架不同",
            "评分表的指标体系与模板框架“{framework}”不同（{count} 处，如：{examples}），"
            "已按评分表自身的指标体系评分；如该表应严格按此框架评分，请用 --framework {framework}"
            "（不同之处将作为错误报告）",
        ),
        FindingType(
            "text-amounts-mismatch",
            _W,
            "文字中的金额合计不符",
            "文字写明共 {total}，其中所列各项 {parts} 合计 {sum}，相差 {difference}，请核对",
        ),
        FindingType(
            "level1-empty",
            _E,
            "一级指标下没有内容",
            "一级指标“{name}”下没有任何指标行，也没有分值：评分表可能不完整（复制时截断或未填完），"
            "不计算总分和等级",
        ),
        FindingType(
            "funds-total-zero",
            _E,
            "资金总额为 0",
            "资金情况“{label}”一行的预算数、执行数为 0，而其下“{part}”一行（{part_cells}）填有资金"
            " {budget} / {spent}：总额行漏填，执行率和得分不能按 0 计",
        ),
        FindingType(
            "execution-rate-undefined",
            _E,
            "执行率无法计算",
            "全年预算数为 0，执行率 {spent} ÷ 0 无法计算，不能按已达成计分",
        ),
        FindingType(
            "spent-above-budget",
            _W,
            "执行数大于预算数",
            "全年执行数 {spent} 大于全年预算数 {budget}（执行率超过 100%），请核对",
        ),
        FindingType(
            "rule-score-mismatch",
            _W,
            "自评得分与规则计算不符",
            "填写的得分 {typed} 与按计分规则计算的 {computed} 不符（{explanation}），按计算结果计",
        ),
        FindingType(
            "qualitative-score-out-of-band",
            _E,
            "定性得分不在档次内",
            "{explanation}",
        ),
        FindingType(
            "qualitative-level-unknown",
            _W,
            "定性指标达成程度不明",
            "实际完成值“{value}”未写明达成程度（达成/部分达成/未达成），无法核对得分档次",
        ),
        FindingType(
            "shortfall-without-reason",
            _W,
            "未达目标未说明原因",
            "{actual_label} {actual} 未达到{target_label} {target}，但没有填写偏差原因分析及改进措施",
        ),
        FindingType(
            "reported-execution-rate-mismatch",
            _W,
            "表中执行率与计算结果不符",
            "表中填写的执行率 {found} 与计算结果 {expected}（全年执行数 ÷ 全年预算数）不符",
        ),
        # Importing a 指标体系表 (jixiao frameworks import).
        FindingType(
            "table-no-header",
            _E,
            "未找到指标体系表的表头",
            "未在前 {rows} 行找到指标体系表的表头（需要指标名称列或一级/二级/三级指标列，"
            "以及分值、指标解释或评分标准列）",
        ),
        FindingType(
            "indicator-points-missing",
            _E,
            "指标没有分值",
            "指标“{name}”没有分值（分值列为空，名称中也没有写明分值）",
        ),
        FindingType(
            "label-points-conflict",
            _E,
            "名称中的分值与分值列不符",
            "名称“{label}”中写明 {found} 分，分值列为 {expected} 分",
        ),
        FindingType(
            "label-points-inconsistent",
            _E,
            "同一指标写明的分值不一致",
            "指标“{name}”在此写明 {found} 分，在 {first} 写明 {expected} 分",
        ),
        FindingType(
            "table-total-mismatch",
            _E,
            "合计行分值不符",
            "合计行分值 {found}，一级指标分值合计为 {expected}",
        ),
        FindingType(
            "bonus-limits-missing",
            _E,
            "加减分项没有上下限",
            "加减分项“{name}”没有写明上下限（在分值列写“-5～5”或“±5”）",
        ),
        FindingType(
            "framework-info-invalid",
            _E,
            "框架信息有误",
            "框架信息“{field}”的值“{value}”有误：{reason}",
        ),
        FindingType(
            "rule-threshold-unstated",
            _W,
            "评分标准没有写明起点",
            "评分标准“{text}”按超出的幅度扣分，但没有写明从多少开始算（如“超过10%的”），"
            "未自动生成计分规则；原文已保留，请在框架文件中手工写明计分规则",
        ),
        FindingType(
            "framework-invalid",
            _E,
            "不能构成有效的评价框架",
            "{where}：{reason}",
        ),
        # Reviewer re-scoring (复核) and finance-scored indicators (财政赋分).
        FindingType(
            "review-score-missing",
            _E,
            "未填写复核得分",
            "复核得分未填写（未加 --fill-from-self，不取自评得分）",
        ),
        FindingType(
            "review-filled-from-self",
            _W,
            "复核得分取自评得分",
            "{where}，按 --fill-from-self 取自评得分 {score}",
        ),
        FindingType("review-score-not-a-number", _E, "复核得分不是数字", "复核得分“{value}”{why}"),
        FindingType("review-score-above-max", _E, "复核得分超过分值", "复核得分 {score} 超过分值 {points}"),
        FindingType("review-score-below-min", _E, "复核得分低于下限", "复核得分 {score} 低于下限 {minimum}"),
        FindingType(
            "review-score-precision",
            _W,
            "复核得分小数位数过多",
            "复核得分 {score} 的小数位数超过 {precision} 位，计算时按精确值参与，显示时四舍五入",
        ),
        FindingType(
            "review-deduction-without-reason",
            _W,
            "复核扣分未说明原因",
            "复核得分 {review} 低于自评得分 {self_score}，但没有填写复核意见",
        ),
        FindingType(
            "self-above-review",
            _W,
            "自评得分高于复核得分",
            "自评得分 {self_score} 比复核得分 {review} 高 {delta} 分，超过容差 {tolerance} 分",
        ),
        FindingType(
            "finance-score-missing",
            _E,
            "财政赋分指标未评分",
            "该指标由财政赋分，但没有财政评分（{where}）；不能用单位自评得分代替",
        ),
        FindingType(
            "finance-score-differs",
            _W,
            "自评得分与财政赋分不同",
            "该指标由财政赋分：单位自评 {self_score}，财政赋分 {review}，按财政赋分计",
        ),
        FindingType(
            "indicator-only-in-self",
            _E,
            "复核表缺少指标",
            "自评表中的指标“{name}”在复核表 {other} 中没有",
        ),
        FindingType(
            "indicator-only-in-review",
            _E,
            "自评表缺少指标",
            "复核表中的指标“{name}”在自评表 {other} 中没有",
        ),
        FindingType(
            "review-points-differ",
            _E,
            "复核表分值与自评表不符",
            "复核表中的分值 {found} 与自评表中的分值 {expected} 不符",
        ),
        FindingType(
            "total-capped",
            _W,
            "总分超过上限",
            "加减分后总分 {raw} 超过上限 {maximum}，按 {maximum} 计",
        ),
        # Auditing a published report.
        FindingType(
            "report-rate-mismatch",
            _E,
            "报告中得分率与计算不符",
            "{what}得分率 {found} 与 {score} ÷ {points} × 100 = {expected} 不符",
        ),
        FindingType(
            "report-sum-mismatch",
            _E,
            "报告中合计与明细之和不符",
            "{what}的{field} {found} 与各组成部分之和 {expected} 不符",
        ),
        FindingType(
            "report-figure-differs",
            _E,
            "报告中同一数字前后不一致",
            "{what}的{field}在此为 {found}，在 {other} 为 {expected}",
        ),
        FindingType(
            "report-grade-mismatch",
            _E,
            "报告中等级与总分不符",
            "等级“{found}”与总分 {score} 对应的等级“{expected}”不符",
        ),
        FindingType(
            "report-count-mismatch",
            _E,
            "报告中指标个数与表中不符",
            "写明 {found} 个{what}，表中为 {expected} 个",
        ),
        FindingType(
            "report-share-mismatch",
            _E,
            "报告中比率与金额不符",
            "{what}的比率 {found}% 与 {part} ÷ {whole} × 100 = {expected}% 不符",
        ),
        FindingType(
            "report-change-mismatch",
            _E,
            "报告中增减与两年数字不符",
            "{what}的增减 {found} 与按本年数、上年数计算的 {expected} 不符",
        ),
        FindingType(
            "report-points-framework",
            _E,
            "报告中分值与框架不符",
            "{what}的分值 {found} 与框架 {framework} 规定的 {expected} 不符",
        ),
    )
}


@dataclass(frozen=True)
class Position:
    """Where a finding points: the sheet and a cell in Excel terms (``D7``).

    ``place`` is for documents that have no cells (a published report): "第4页第6行", "表1第3行".
    """

    sheet: str | None = None
    cell: str | None = None
    place: str | None = None

    def label(self, with_sheet: bool = False) -> str:
        """The position as shown to a user: ``D7``, ``'评分表'!D7`` or a report's ``第4页第6行``."""
        if not self.cell:
            return self.place or ""
        if with_sheet and self.sheet:
            return f"{self.sheet}!{self.cell}"
        return self.cell


@dataclass(frozen=True)
class Finding:
    """One problem found in a sheet: code, severity, message, cell and indicator path."""

    code: str
    severity: Severity
    message: str
    position: Position = field(default_factory=Position)
    path: tuple[str, ...] = ()
    # The figures the message was filled from (the cell's value, the 分值 …), kept so that a
    # finding can be re-worded (a review re-labels the matcher's findings) without re-reading
    # the sheet. The message says the same, so equality and hashing leave them out.
    values: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def cell(self) -> str | None:
        """The cell address, e.g. ``D7``, or None for a finding about the whole sheet."""
        return self.position.cell

    @property
    def is_error(self) -> bool:
        """True when this finding prevents scoring."""
        return self.severity is Severity.ERROR

    def to_dict(self, with_sheet: bool = False) -> dict[str, object]:
        """The finding as JSON-ready data."""
        data: dict[str, object] = {
            "code": self.code,
            "severity": str(self.severity),
            "cell": (self.position.label(with_sheet) or None) if self.position.cell else None,
            "sheet": self.position.sheet,
            "path": list(self.path),
            "message": self.message,
        }
        if self.position.place is not None:
            data["place"] = self.position.place
        return data


def make(
    code: str,
    *,
    position: Position | None = None,
    path: Sequence[str] = (),
    **values: object,
) -> Finding:
    """Build a finding of catalogue type ``code``, filling its message template."""
    kind = CATALOGUE[code]
    return Finding(
        code=code,
        severity=kind.severity,
        message=kind.template.format(**values),
        position=position or Position(),
        path=tuple(path),
        values=dict(values),
    )


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding is an error."""
    return any(f.is_error for f in findings)


def sort_key(f: Finding) -> tuple[int, int, str, str]:
    """Order findings errors first, then by row and column of their cell."""
    row, col = _cell_order(f.position.cell)
    return (0 if f.is_error else 1, row, f"{col:>4}", f.code)


def _cell_order(cell: str | None) -> tuple[int, str]:
    if not cell:
        return (1 << 30, "")  # findings about the whole sheet come after those with a cell
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits) if digits else 0, letters)
