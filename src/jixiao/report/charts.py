"""Charts of 得分率 by indicator, drawn with matplotlib (Agg backend, no display needed).

A bar chart, or a radar chart when there are five or more 二级指标; with a review, also paired
bars of 自评 and 复核 得分率 per indicator (:func:`pair_chart`). Chinese labels need a CJK
font: the first one found from :data:`CJK_FONTS` is used; without any, no chart is drawn
(Chinese labels would show as empty boxes) and the caller says so.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.values import plain
from jixiao.write.chart_kind import ChartKind

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "SimHei",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
)
BAR_COLOR = "#3B6EA8"
LOW_COLOR = "#C0504D"
SELF_COLOR = "#A5A5A5"


@dataclass(frozen=True)
class RateItem:
    """One indicator on the chart: its name and its rounded 得分率 from the calculator."""

    name: str
    rate: Decimal


@dataclass(frozen=True)
class PairItem:
    """One indicator on the self-vs-review chart: its rounded 自评 and 复核 得分率."""

    name: str
    self_rate: Decimal
    review_rate: Decimal


def cjk_font() -> str | None:
    """The name of an installed font that has Chinese glyphs, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def rate_chart(items: Sequence[RateItem], kind: ChartKind, title: str = "") -> bytes | None:
    """The chart as PNG bytes, or None when no CJK font is installed or there is nothing to show."""
    font = cjk_font()
    if font is None or not items:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc(font)):
        fig = Figure(figsize=(7.2, 4.4) if kind == "bar" else (7.2, 6.2), dpi=200)
        if kind == "radar":
            _radar(fig, items)
        else:
            _bars(fig, items)
        return _png(fig, title)


def pair_chart(items: Sequence[PairItem], title: str = "") -> bytes | None:
    """Bars of 自评 and 复核 得分率 side by side per indicator, as PNG bytes; None when no CJK
    font is installed or there is nothing to show."""
    font = cjk_font()
    if font is None or not items:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc(font)):
        fig = Figure(figsize=(7.2, 4.6), dpi=200)
        _pairs(fig, items)
        return _png(fig, title)


def _rc(font: str) -> dict[Any, Any]:
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [font],
        "axes.unicode_minus": False,
        "svg.hashsalt": "jixiao",
    }


def _png(fig: Any, title: str) -> bytes:
    if title:
        fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    buf = io.BytesIO()
    # No metadata: the same figures give the same bytes.
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


def _wrap(name: str, width: int = 6) -> str:
    """Break a long indicator name into lines so radar labels stay clear of the chart."""
    if len(name) <= width:
        return name
    lines = -(-len(name) // width)
    step = -(-len(name) // lines)
    return "\n".join(name[k : k + step] for k in range(0, len(name), step))


def _values(items: Sequence[RateItem]) -> list[float]:
    # float only positions pixels; every label printed on the chart is the Decimal's own text.
    return [float(i.rate) for i in items]


def _bars(fig, items: Sequence[RateItem]) -> None:
    ax = fig.add_subplot(1, 1, 1)
    values = _values(items)
    names = [i.name for i in items]
    colors = [BAR_COLOR if i.rate >= 100 else LOW_COLOR for i in items]
    bars = ax.bar(range(len(items)), values, color=colors, width=0.6)
    for bar, item in zip(bars, items, strict=True):
        ax.annotate(
            plain(item.rate),
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=11,
        )
    ax.set_xticks(
        range(len(items)),
        names,
        rotation=30 if len(items) > 4 else 0,
        ha="right" if len(items) > 4 else "center",
        fontsize=11,
    )
    ax.set_ylim(0, 110)
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    ax.set_ylabel("得分率（%）")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)


def _pairs(fig: Any, items: Sequence[PairItem]) -> None:
    ax = fig.add_subplot(1, 1, 1)
    width = 0.38
    spots = range(len(items))
    for offset, label, color, rates in (
        (-width / 2, "自评得分率", SELF_COLOR, [i.self_rate for i in items]),
        (width / 2, "复核得分率", BAR_COLOR, [i.review_rate for i in items]),
    ):
        # float only positions pixels; every label printed on the chart is the Decimal's own text.
        bars = ax.bar([k + offset for k in spots], [float(r) for r in rates], width, color=color, label=label)
        for bar, rate in zip(bars, rates, strict=True):
            ax.annotate(
                plain(rate),
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=7 if len(items) > 6 else 10,
            )
    many = len(items) > 4
    ax.set_xticks(
        list(spots),
        [i.name for i in items],
        rotation=30 if many else 0,
        ha="right" if many else "center",
        fontsize=11,
    )
    ax.set_ylim(0, 115)
    ax.set_yticks([0, 20, 40, 60, 80, 100])
    ax.set_ylabel("得分率（%）")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 1.12), ncol=2, frameon=False, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
    ax.set_axisbelow(True)


def _radar(fig, items: Sequence[RateItem]) -> None:
    ax = fig.add_subplot(1, 1, 1, projection="polar")
    values = _values(items)
    count = len(items)
    angles = [2 * math.pi * k / count for k in range(count)]
    ax.set_theta_offset(math.pi / 2)  # first indicator at the top, then clockwise
    ax.set_theta_direction(-1)
    closed_angles = [*angles, angles[0]]
    ax.plot(closed_angles, [*values, values[0]], color=BAR_COLOR, linewidth=1.6)
    ax.fill(closed_angles, [*values, values[0]], color=BAR_COLOR, alpha=0.18)
    ax.scatter(
        angles,
        values,
        s=14,
        color=[BAR_COLOR if i.rate >= 100 else LOW_COLOR for i in items],
        zorder=3,
    )
    ax.set_xticks(angles, [f"{_wrap(i.name)}\n{plain(i.rate)}" for i in items], fontsize=12)
    ax.set_ylim(0, 100)
    ax.set_yticks([20, 40, 60, 80, 100])
    ax.set_yticklabels(["20", "40", "60", "80", "100"], fontsize=9, color="#888888")
    ax.set_rlabel_position(180 / count)
    ax.tick_params(axis="x", pad=14)
    ax.grid(color="#CCCCCC", linewidth=0.6)
