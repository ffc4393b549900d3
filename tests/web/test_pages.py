"""Every page and download, through the test client."""

from __future__ import annotations

import io
import zipfile

from tests.review_builders import review_sheet
from tests.web.conftest import DEMO, GUANGZHOU, PROJECT, upload

XLSX_MAGIC = b"PK\x03\x04"


def _sheet_names(data: bytes) -> list[str]:
    import openpyxl

    return openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames


def test_every_page_answers_in_chinese(client):
    for path in ("/", "/template", "/review", "/rounds", "/frameworks", "/frameworks/shaoguan-2023"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert 'lang="zh-CN"' in r.text
        assert "评分" in r.text
    assert "履职效能" in client.get("/frameworks/shaoguan-2023").text


def test_static_assets_are_served_from_the_package(client):
    r = client.get("/static/app.css")
    assert r.status_code == 200 and "font" in r.text
    page = client.get("/").text
    assert "http://" not in page.replace("http://127.0.0.1", "") and "https://" not in page  # no CDN


def test_score_page_shows_total_grade_tree_findings_and_the_sheet(client):
    r = client.post("/score", files=[("files", upload(DEMO))])
    assert r.status_code == 200
    text = r.text
    assert 'id="total-1">98.81<' in text and 'id="grade-1">优<' in text
    assert "资产管理" in text and "9.50" in text  # the tree with its 得分
    assert "表中填写的得分率 100 与计算结果 98.81 不符" in text  # the finding
    assert 'class="mark warning"' in text  # the problem cell marked in the drawn sheet
    assert "/result.xlsx?" in text and "/report.docx?" in text and "/result.json?" in text


def test_several_sheets_at_once(client):
    r = client.post("/score", files=[("files", upload(DEMO)), ("files", upload(GUANGZHOU))])
    assert r.status_code == 200
    assert 'id="total-1">98.81<' in r.text and 'id="total-2">93.89<' in r.text


def test_downloads_after_scoring(client):
    import re

    page = client.post("/score", files=[("files", upload(DEMO))]).text
    links = dict(
        re.findall(r'href="(/files/[0-9a-f]{64}/([a-z.-]+)\?[^"]*)"', page)[i][::-1] for i in range(4)
    )
    result = client.get(links["result.xlsx"].replace("&amp;", "&"))
    assert result.status_code == 200 and result.content.startswith(XLSX_MAGIC)
    assert "总表" in _sheet_names(result.content)
    assert "filename*=UTF-8''" in result.headers["content-disposition"]
    report = client.get(links["report.docx"].replace("&amp;", "&"))
    assert report.status_code == 200
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(report.content)).namelist()
    data = client.get(links["result.json"].replace("&amp;", "&")).json()
    assert data["total"] == 98.81 and data["grade"] == "优"
    worksheet = client.get(links["review-worksheet.xlsx"].replace("&amp;", "&"))
    assert worksheet.status_code == 200 and worksheet.content.startswith(XLSX_MAGIC)


def test_download_of_an_unknown_file_is_a_clear_error(client):
    r = client.get("/files/" + "0" * 64 + "/result.xlsx")
    assert r.status_code == 404 and "重新上传" in r.text
    r = client.get("/files/..%2F..%2Fetc%2Fpasswd/result.xlsx")
    assert r.status_code == 404
    assert client.get("/files/zzz/result.xlsx").status_code == 404


def test_template_download(client):
    r = client.post("/template", data={"framework": "shaoguan-2023"})
    assert r.status_code == 200 and r.content.startswith(XLSX_MAGIC)
    assert "shaoguan-2023" in r.headers["content-disposition"]
    assert client.post("/template", data={"framework": "../../etc/passwd"}).status_code == 422


def test_review_one_sheet_side_by_side_and_download(client, tmp_path):
    scores = ["22.31", 23, 5, 8, 4, 10, 10, "9.5", 7]
    reviewed = [20, 23, 5, 8, 4, 10, 10, "9.5", 7]
    sheet = review_sheet(tmp_path / "复核表.xlsx", scores, reviewed, reasons={0: "整体效能部分目标未完成"})
    r = client.post("/review", files=[("self", upload(sheet))])
    assert r.status_code == 200, r.text
    assert "98.81" in r.text and "96.50" in r.text  # self and final side by side
    assert "整体效能部分目标未完成" in r.text
    import re

    link = re.search(r'href="(/review/compare.xlsx\?[^"]+)"', r.text)
    assert link
    got = client.get(link.group(1).replace("&amp;", "&"))
    assert got.status_code == 200 and "复核对比" in _sheet_names(got.content)


def test_review_two_files(client, tmp_path):
    from tests.review_builders import scores_only

    own = scores_only(tmp_path / "自评.xlsx", ["22.31", 23, 5, 8, 4, 10, 10, "9.5", 7])
    theirs = scores_only(tmp_path / "复核.xlsx", [22, 23, 5, 8, 4, 10, 10, "9.5", 7], header="复核得分")
    r = client.post("/review", files=[("self", upload(own)), ("review", upload(theirs))])
    assert r.status_code == 200, r.text
    assert "自评.xlsx ↔ 复核.xlsx" in r.text and "98.50" in r.text


def test_review_of_a_sheet_without_review_column_says_why(client):
    r = client.post("/review", files=[("self", upload(DEMO))])
    assert r.status_code == 422 and "没有复核得分列" in r.text


def test_frameworks_import_save_and_diff(client, tmp_path):
    from jixiao.cli import main

    table = tmp_path / "指标体系表.xlsx"
    assert main(["frameworks", "export", "shaoguan-2023", "-o", str(table)]) == 0
    r = client.post("/frameworks/import", files={"table": upload(table)}, data={"id": "shaoguan-2024"})
    assert r.status_code == 200 and 'id="imported"' in r.text
    import html
    import re

    yaml_text = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", r.text, re.S).group(1))
    assert "id: shaoguan-2024" in yaml_text
    changed = yaml_text.replace("{label: 优, minimum: 90", "{label: 优, minimum: 95").replace(
        "{label: 良, minimum: 80, maximum: 90", "{label: 良, minimum: 80, maximum: 95"
    )
    assert changed != yaml_text
    got = client.post("/frameworks/save", data={"yaml": changed}, follow_redirects=False)
    assert got.status_code == 303 and got.headers["location"] == "/frameworks/shaoguan-2024"
    assert client.get("/frameworks/shaoguan-2024").status_code == 200
    assert any(f["id"] == "shaoguan-2024" for f in client.get("/api/frameworks").json()["frameworks"])
    diff = client.post("/frameworks/diff", data={"old": "shaoguan-2023", "new": "shaoguan-2024"})
    assert diff.status_code == 200 and "等级 优 的下限：90 → 95" in diff.text
    download = client.post("/frameworks/save", data={"yaml": changed, "download": "1"})
    assert download.status_code == 200 and download.content.decode() == changed


def test_saving_a_broken_framework_lists_its_problems(client):
    r = client.post("/frameworks/save", data={"yaml": "schema_version: 1\nid: Bad Id\n"})
    assert r.status_code == 422 and "问题" in r.text


def test_project_sheet_scores_too(client):
    r = client.post("/score", files=[("files", upload(PROJECT))])
    assert 'id="total-1">94.46<' in r.text


def test_text_from_a_sheet_is_escaped_in_the_page(client, tmp_path):
    from tests.builders import shaoguan_sheet

    sheet = shaoguan_sheet(tmp_path / "x.xlsx", {"A2": "单位名称：<script>alert(1)</script>"})
    r = client.post("/score", files=[("files", upload(sheet))])
    assert r.status_code == 200
    assert "<script>" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


def test_every_template_and_asset_is_package_data():
    import fnmatch
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"][
        "jixiao"
    ]
    web = root / "src" / "jixiao" / "web"
    files = [
        p.relative_to(web.parent).as_posix() for d in ("templates", "static") for p in (web / d).iterdir()
    ]
    assert files
    for f in files:
        assert any(fnmatch.fnmatch(f, pattern) for pattern in patterns), f


def test_a_sheet_scored_from_its_own_tree_says_so_on_the_page(client):
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[1] / "data" / "realworld"
    r = client.post("/score", files=[("files", upload(corpus / "sichuan-zhongjiang-shuili-2022.xlsx"))])
    assert r.status_code == 200
    assert 'id="basis-1"' in r.text and "指标体系取自评分表本身" in r.text
    assert "等级区间为假定" in r.text and "jixiao frameworks import" in r.text
    assert "mof-project-2020" in r.text  # the template it departs from is named
    assert 'id="basis-1"' not in client.post("/score", files=[("files", upload(DEMO))]).text
