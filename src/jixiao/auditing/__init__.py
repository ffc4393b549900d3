"""Audit a published 自评报告: check every figure it prints against the others it can be tied to.

``audit_report(path, framework=None)`` reads a PDF, Word or text report
(:mod:`~jixiao.auditing.extract`), finds its score table and the sentences that print figures
(:mod:`~jixiao.auditing.claims`, pure) and ties them together (:mod:`~jixiao.auditing.check`,
pure). The result lists every claim with ✓ / ✗ / 未核对 and one finding per disagreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.auditing._project import Finding, SheetError
from jixiao.auditing.check import DEFAULT_BANDS, Band, Rules, check
from jixiao.auditing.claims import parse
from jixiao.auditing.extract import ReportText, SourceKind, read_report
from jixiao.auditing.model import Claim, ClaimKind, Figure, Status

__all__ = ["AuditResult", "Claim", "ClaimKind", "Figure", "Status", "audit_report", "audit_text"]


@dataclass
class AuditResult:
    """The claims of one report after checking, the findings, and what the checks used."""

    source: Path
    kind: SourceKind
    claims: list[Claim]
    findings: list[Finding]
    checks: int
    framework_id: str | None = None
    pages: int | None = None

    @property
    def ok(self) -> bool:
        """True when every checked figure agrees."""
        return not self.findings

    def count(self, status: Status) -> int:
        """How many claims have ``status``."""
        return sum(1 for c in self.claims if c.status is status)

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON: claims (text, position, figures, status, checks) and findings."""
        return {
            "source": str(self.source),
            "kind": str(self.kind),
            "pages": self.pages,
            "framework": self.framework_id,
            "ok": self.ok,
            "summary": {
                "claims": len(self.claims),
                "checks": self.checks,
                "agrees": self.count(Status.AGREES),
                "differs": self.count(Status.DIFFERS),
                "unchecked": self.count(Status.UNCHECKED),
            },
            "claims": [
                {
                    "kind": str(c.kind),
                    "text": c.text,
                    "position": c.place,
                    "path": list(c.path),
                    "figures": [_figure(f) for f in c.figures],
                    "status": str(c.status),
                    "checks": list(c.notes),
                }
                for c in self.claims
            ],
            "findings": [
                {
                    "code": f.code,
                    "severity": str(f.severity),
                    "position": f.position.place,
                    "path": list(f.path),
                    "message": f.message,
                }
                for f in self.findings
            ],
        }


def _figure(f: Figure) -> dict[str, object]:
    return {"role": f.role, "printed": f.printed, "value": f.value}


def audit_report(path: str | Path, framework: str | Path | None = None) -> AuditResult:
    """Read and check one report; a :class:`SheetError` when it cannot be read or has no figures."""
    path = Path(path)
    rules = _rules(framework) if framework is not None else Rules()
    return audit_text(read_report(path), rules)


def audit_text(report: ReportText, rules: Rules | None = None) -> AuditResult:
    """Check a report already read (pure)."""
    rules = rules or Rules()
    parsed = parse(report)
    if not parsed.claims:
        raise SheetError(
            report.source,
            "没有找到可核对的数字（得分、分值、得分率、等级或金额），不像一份绩效自评报告",
        )
    outcome = check(parsed, rules)
    return AuditResult(
        source=report.source,
        kind=report.kind,
        claims=outcome.claims,
        findings=outcome.findings,
        checks=outcome.checks,
        framework_id=rules.framework_id,
        pages=report.pages,
    )


def _rules(ref: str | Path) -> Rules:
    """Bands, precision and 分值 of a framework (by id or YAML path)."""
    from jixiao.auditing._project import load_framework, name_key

    fw = load_framework(ref)
    bands = (
        tuple(Band(b.label, b.minimum, b.maximum, (b.label, *b.aliases)) for b in fw.grades) or DEFAULT_BANDS
    )
    points: dict[tuple[str, ...], Decimal] = {}

    def walk(nodes: list[Any], prefix: tuple[str, ...]) -> None:
        for node in nodes:
            for name in (node.name, *node.aliases):
                if node.points is not None:
                    points[(*prefix, name_key(name))] = node.points
            walk(node.children, (*prefix, name_key(node.name)))

    walk(fw.indicators, ())
    return Rules(
        bands=bands,
        precision=fw.precision,
        total_points=fw.total_points,
        points=points,
        framework_id=fw.id,
    )
