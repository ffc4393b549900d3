"""A wheel built from the repository ships its frameworks and scores the demo sheet anywhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SHEETS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the sources and installed into a fresh folder."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src-copy"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "frameworks", src / "frameworks")
    shutil.copytree(
        ROOT / "src", src / "src", symlinks=True, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(src)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("jixiao-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        shipped = {n for n in zf.namelist() if n.startswith("jixiao/framework/data/")}
    assert {f"jixiao/framework/data/{p.name}" for p in (ROOT / "frameworks").glob("*.yaml")} <= shipped
    target = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    return target


def _run(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("JIXIAO_FRAMEWORKS", "PYTHONPATH")}
    env["PYTHONPATH"] = str(target)  # before the editable checkout on sys.path
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_installed_wheel_scores_the_demo_sheet_from_any_folder(installed, tmp_path):
    elsewhere = tmp_path / "某个文件夹"
    elsewhere.mkdir()
    shutil.copy(SHEETS / "shaoguan-2023-kexie.xlsx", elsewhere / "评分表.xlsx")
    code = (
        "import json, jixiao; from jixiao.framework.load import search_dirs; "
        "ev = jixiao.score('评分表.xlsx'); "
        "print(json.dumps({'file': jixiao.__file__, 'dirs': [str(d) for d in search_dirs()], "
        "'framework': ev.framework.id, 'detected': ev.framework_detected, 'total': str(ev.total)}))"
    )
    done = _run(installed, elsewhere, "-c", code)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert Path(seen["file"]).is_relative_to(installed)
    assert seen["dirs"] == [str((installed / "jixiao" / "framework" / "data").resolve())]
    assert (seen["framework"], seen["detected"], seen["total"]) == ("shaoguan-2023", True, "98.81")


def test_installed_command_line_lists_the_shipped_frameworks(installed, tmp_path):
    done = _run(
        installed, tmp_path, "-m", "jixiao", "score", str(SHEETS / "shaoguan-2023-kexie.xlsx"), "--json"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["grade"] == "优"
