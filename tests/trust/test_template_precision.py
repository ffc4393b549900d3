"""jixiao's own template, filled with three-decimal scores, does not warn against itself."""

from __future__ import annotations

from pathlib import Path

from jixiao.framework.load import load_framework
from jixiao.scoring.pipeline import score_file
from jixiao.write.template import write_template
from tests.conftest import convert_with_soffice
from tests.integration.test_template import SHAOGUAN_SCORES, fill


def test_three_decimals_at_the_templates_own_sum_cell(tmp_path: Path, soffice):
    template = tmp_path / "sg.xlsx"
    write_template(load_framework("shaoguan-2023").framework, template)
    scores = dict(SHAOGUAN_SCORES, 整体效能=22.315)
    filled = fill(template, {k: (None, v) for k, v in scores.items()}, "韶关市科协")
    (tmp_path / "lo").mkdir()
    out = convert_with_soffice(soffice, filled, "xlsx", tmp_path / "lo")
    ev = score_file(out)
    codes = {f.code for f in ev.findings}
    # Too many decimals is worth a warning; the template's SUM (45.315) disagreeing is not.
    assert codes == {"score-precision"}, [f.message for f in ev.findings]
