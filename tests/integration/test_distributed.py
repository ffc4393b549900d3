"""Batch scoring on Dask's distributed scheduler: a LocalCluster of two workers on 127.0.0.1.

The outcomes must be those of a serial run, in the same order, whether the client is passed in,
the scheduler is named by address (``jixiao batch --scheduler tcp://…``) or inputs are fsspec URLs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from distributed import Client, LocalCluster

import jixiao
from jixiao.batch import discover, iter_outcomes
from jixiao.cli import main
from tests.builders import shaoguan_sheet
from tests.conftest import SHEETS


@pytest.fixture(scope="module")
def cluster():
    # Threads in this process (processes=False) keep it quick; tcp on 127.0.0.1 only, no dashboard.
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as c:
        yield c


@pytest.fixture(scope="module")
def client(cluster):
    with Client(cluster, set_as_default=False, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    """Good, wrong and broken sheets, more than one chunk of them so that workers interleave."""
    folder = tmp_path_factory.mktemp("inbox")
    for i in range(20):
        shaoguan_sheet(folder / f"{i:02d}-好.xlsx", {"A1": f"单位名称：单位{i}", "D10": 9 + (i % 2) / 2})
    shaoguan_sheet(folder / "50-错误.xlsx", {"D3": "二十二"})
    shutil.copy(SHEETS / "guangzhou-2021-illustrative.xlsx", folder / "60-广州.xlsx")
    (folder / "70-损坏.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    return folder


def test_outcomes_identical_and_in_order(client, inbox):
    paths = discover([inbox])
    serial = list(iter_outcomes(paths))
    remote = list(iter_outcomes(paths, scheduler=client))
    assert [o.path for o in remote] == paths
    assert remote == serial
    assert {o.status for o in remote} == {"ok", "failed"}


def test_score_batch_with_a_client_and_a_named_framework(client, inbox):
    serial = jixiao.score_batch(inbox, "shaoguan-2023")
    remote = jixiao.score_batch(inbox, "shaoguan-2023", scheduler=client)
    assert remote.summary_rows() == serial.summary_rows()
    assert [o.error for o in remote.failed] == [o.error for o in serial.failed]


def test_fsspec_urls_keep_the_url_as_path(client, inbox):
    paths = discover([inbox])[:3]
    urls = [f"file://{p.resolve()}" for p in paths]  # file:// URLs, opened by the workers via fsspec
    remote = jixiao.score_batch(urls, scheduler=client)
    serial = jixiao.score_batch(paths)
    assert [o.path for o in remote.scored] == urls
    assert [r[3:] for r in remote.summary_rows()] == [r[3:] for r in serial.summary_rows()]
    missing = jixiao.score_batch([urls[0] + ".missing"], scheduler=client)
    assert missing.failed and "无法读取" in (missing.failed[0].error or "")


def test_cli_scheduler_address(cluster, inbox, capsys):
    code = main(["batch", str(inbox), "--json", "--no-progress", "--scheduler", cluster.scheduler_address])
    remote = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    code_serial = main(["batch", str(inbox), "--json", "--no-progress"])
    serial = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert code == code_serial == 1  # one sheet has errors, one is not a workbook
    assert remote == serial


def test_bad_scheduler_address_is_a_usage_error(inbox, capsys):
    assert main(["batch", str(inbox), "--no-progress", "--scheduler", "localhost"]) == 2
    assert "调度器地址" in capsys.readouterr().err
