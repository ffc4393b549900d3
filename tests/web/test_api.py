"""The JSON API, rounds and their persistence, and the safety limits."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.builders import shaoguan_sheet
from tests.hostile import rewrite_zip, zip_bomb
from tests.web.conftest import DEMO, GUANGZHOU, PROJECT, upload


def test_api_score_is_the_cli_json(client):
    r = client.post("/api/score", files={"file": upload(DEMO)})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    got = r.json()
    cli = subprocess.run(
        [sys.executable, "-m", "jixiao", "score", str(DEMO), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    want = json.loads(cli.stdout)
    for data in (got, want):
        data["provenance"].pop("produced_at")
    assert got == want
    assert got["total"] == 98.81 and got["grade"] == "优"
    assert '"total": 98.81' in r.text  # exact decimals, as the CLI writes them


def test_api_score_with_framework_and_sheet(client):
    r = client.post("/api/score", files={"file": upload(DEMO)}, data={"framework": "shaoguan-2023"})
    assert r.status_code == 200 and r.json()["provenance"]["framework"]["detected"] is False
    r = client.post("/api/score", files={"file": upload(DEMO)}, data={"sheet": "没有这个表"})
    assert r.status_code == 422 and "没有这个表" in r.json()["message"]


def test_api_score_sheet_with_errors_is_422_with_codes(client, tmp_path):
    bad = shaoguan_sheet(tmp_path / "错误.xlsx", {"D3": "很好"})
    r = client.post("/api/score", files={"file": upload(bad)})
    assert r.status_code == 422
    data = r.json()
    assert data["ok"] is False and "错误" in data["message"] and data["codes"]
    assert any(f["cell"] == "D3" for f in data["findings"])


def test_a_framework_path_from_a_request_is_refused(client):
    r = client.post("/api/score", files={"file": upload(DEMO)}, data={"framework": "/etc/passwd"})
    assert r.status_code == 422 and r.json()["codes"] == ["framework-unknown"]


def test_api_frameworks(client):
    ids = {f["id"] for f in client.get("/api/frameworks").json()["frameworks"]}
    assert {"shaoguan-2023", "guangzhou-2021", "mof-project-2020"} <= ids


def test_not_a_spreadsheet(client):
    r = client.post("/api/score", files={"file": ("报告.xlsx", "这是一段文字。\n".encode() * 20)})
    assert r.status_code == 422
    assert r.json()["codes"] == ["sheet-unreadable"] and "不是 Excel" in r.json()["message"]
    assert client.get("/api/frameworks").status_code == 200  # still serving


def test_zip_bomb_is_refused_and_the_server_goes_on(client, tmp_path):
    bomb = zip_bomb(DEMO, tmp_path / "bomb.xlsx", megabytes=300)
    assert bomb.stat().st_size < 2 << 20
    r = client.post("/api/score", files={"file": upload(bomb)})
    assert r.status_code == 422 and r.json()["message"]
    assert client.post("/api/score", files={"file": upload(DEMO)}).status_code == 200


def test_empty_file(client):
    r = client.post("/api/score", files={"file": ("空.xlsx", b"")})
    assert r.status_code == 422 and r.json()["codes"] == ["empty-file"]


def test_file_too_large(make_client):
    c = make_client(max_file_mb=0.01)
    r = c.post("/api/score", files={"file": ("大.xlsx", b"x" * 20_000)})
    assert r.status_code == 413 and r.json()["codes"] in (["file-too-large"], ["body-too-large"])
    assert "上限" in r.json()["message"]


def test_body_over_the_limit_is_refused_before_reading(make_client):
    c = make_client(max_file_mb=0.01, max_files=1)
    r = c.post("/api/score", files={"file": ("大.xlsx", b"x" * 2_000_000)})
    assert r.status_code == 413 and r.json()["codes"] == ["body-too-large"]


def test_too_many_files(make_client):
    c = make_client(max_files=2)
    rid = c.post("/api/rounds", data={"name": "多"}).json()["id"]
    files = [("files", upload(DEMO, f"{i}.xlsx")) for i in range(3)]
    r = c.post(f"/api/rounds/{rid}/files", files=files)
    assert r.status_code == 413 and r.json()["codes"] == ["too-many-files"]


def test_worker_time_limit(make_client):
    c = make_client(timeout=0.001)
    r = c.post("/api/score", files={"file": upload(DEMO)})
    assert r.status_code == 504
    assert r.json()["codes"] == ["worker-timeout"] and "秒" in r.json()["message"]
    assert c.get("/api/rounds").status_code == 200  # the server keeps serving


def test_output_names_are_sanitised(client):
    from jixiao.web.uploads import disposition, safe_name

    assert safe_name("../../etc/passwd.xlsx") == "passwd.xlsx"
    assert safe_name("C:\\Users\\a\\自评表.xlsx") == "自评表.xlsx"
    assert safe_name('a"<b>\r\n.xlsx') == "a__b___.xlsx"
    assert safe_name("..") == "上传文件.xlsx"
    assert "\n" not in disposition("x\ny.xlsx") and '"' not in disposition('a".xlsx').split(";")[1][11:-1]
    rid = client.post("/api/rounds", data={"name": "名"}).json()["id"]
    r = client.post(f"/api/rounds/{rid}/files", files=[("files", upload(DEMO, "../../../x/韶关.xlsx"))])
    assert r.json()["files"][0]["file"] == "韶关.xlsx"


def test_no_temp_files_are_left(client, tmp_path, monkeypatch):
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    client.post("/api/score", files={"file": upload(DEMO)})
    client.post("/api/score", files={"file": ("坏.xlsx", b"PK\x03\x04broken")})
    assert list(scratch.iterdir()) == []


def test_rounds_api_and_summary(client):
    r = client.post("/api/rounds", data={"name": "2023 年度复核"})
    assert r.status_code == 201
    rid = r.json()["id"]
    files = [("files", upload(p)) for p in (DEMO, GUANGZHOU, PROJECT)] + [
        ("files", ("坏.pdf", b"%PDF-1.4\n"))
    ]
    added = client.post(f"/api/rounds/{rid}/files", files=files).json()["files"]
    # A PDF sent along with the sheets is no sheet at all: listed as skipped, as batch does.
    assert [a["status"] for a in added] == ["ok", "ok", "ok", "skipped"]
    assert added[0]["total"] == "98.81"
    listed = client.get("/api/rounds").json()["rounds"]
    assert listed[0]["id"] == rid and listed[0]["scored"] == 3 and listed[0]["failed"] == 0
    summary = client.get(f"/api/rounds/{rid}").json()["summary"]
    assert summary["scored"] == 3
    assert {g["grade"]: g["count"] for g in summary["grades"]}["优"] == 3
    assert summary["weakest"] and summary["errors"] == []
    assert [k["file"] for k in summary["skipped_files"]] == ["坏.pdf"]
    xlsx = client.get(f"/api/rounds/{rid}/summary.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    page = client.get(f"/rounds/{rid}")
    assert page.status_code == 200 and 'id="grade-chart"' in page.text and "坏.pdf" in page.text
    import io

    import docx

    report = docx.Document(io.BytesIO(client.get(f"/rounds/{rid}/report.docx").content))
    text = "\n".join(p.text for p in report.paragraphs)
    assert "本批次共收到评分表 3 份，已评分 3 份，未能评分 0 份" in text
    assert client.get("/api/rounds/999").status_code == 404
    assert client.get("/rounds/abc").status_code == 404


def test_round_pages_without_js(client):
    r = client.post("/rounds", data={"name": "网页批次"}, follow_redirects=False)
    assert r.status_code == 303
    where = r.headers["location"]
    page = client.post(where + "/files", files=[("files", upload(DEMO))])
    assert page.status_code == 200 and 'id="added"' in page.text and "98.81" in page.text
    assert "网页批次" in client.get("/rounds").text


def test_duplicates_and_resubmissions(client, tmp_path):
    rid = client.post("/api/rounds", data={"name": "重交"}).json()["id"]
    client.post(f"/api/rounds/{rid}/files", files=[("files", upload(DEMO))])
    again = client.post(f"/api/rounds/{rid}/files", files=[("files", upload(DEMO, "再次.xlsx"))]).json()
    assert again["files"][0]["status"] == "duplicate"

    def touch(name: str, data: bytes) -> bytes | None:
        return data + b"\n" if name == "docProps/app.xml" else None

    corrected = rewrite_zip(DEMO, tmp_path / "韶关-更正.xlsx", touch)
    client.post(f"/api/rounds/{rid}/files", files=[("files", upload(corrected))])
    files = client.get(f"/api/rounds/{rid}").json()["files"]
    assert [f["current"] for f in files] == [False, True]
    assert files[0]["superseded_by"] == files[1]["submission"]
    assert client.get(f"/api/rounds/{rid}").json()["summary"]["scored"] == 1
    assert "重新提交" in client.get(f"/rounds/{rid}").text


def test_rounds_survive_a_restart(make_client, tmp_path):
    first = make_client()
    rid = first.post("/api/rounds", data={"name": "跨天"}).json()["id"]
    first.post(f"/api/rounds/{rid}/files", files=[("files", upload(DEMO))])
    first.app.state.web.store.close()
    second = make_client()  # a new app on the same data folder
    listed = second.get("/api/rounds").json()["rounds"]
    assert [(r["name"], r["scored"]) for r in listed] == [("跨天", 1)]
    second.post(f"/api/rounds/{rid}/files", files=[("files", upload(GUANGZHOU))])
    assert second.get(f"/api/rounds/{rid}").json()["summary"]["scored"] == 2
    blobs = list((tmp_path / "data" / "blobs").rglob("*"))
    assert any(p.name == files_sha(DEMO) for p in blobs)


def files_sha(path):
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_rescore_after_a_framework_change(client, tmp_path):
    from jixiao.framework.load import resolve

    text = resolve("shaoguan-2023").read_text(encoding="utf-8")
    # A shipped framework is never overwritten: saving it under its own id is refused.
    refused = client.post("/frameworks/save", data={"yaml": text}, follow_redirects=False)
    assert refused.status_code >= 400 and "不能覆盖" in refused.text
    local = text.replace("id: shaoguan-2023", "id: shaoguan-2023-local")
    assert local != text
    assert client.post("/frameworks/save", data={"yaml": local}, follow_redirects=False).status_code == 303
    rid = client.post("/api/rounds", data={"name": "改框架", "framework": "shaoguan-2023-local"}).json()["id"]
    client.post(f"/api/rounds/{rid}/files", files=[("files", upload(DEMO))])
    assert client.get(f"/api/rounds/{rid}").json()["files"][0]["grade"] == "优"
    stricter = local.replace("{label: 优, minimum: 90", "{label: 优, minimum: 99").replace(
        "{label: 良, minimum: 80, maximum: 90", "{label: 良, minimum: 80, maximum: 99"
    )
    assert stricter != local
    assert client.post("/frameworks/save", data={"yaml": stricter}, follow_redirects=False).status_code == 303
    r = client.post(f"/api/rounds/{rid}/rescore")
    assert r.status_code == 200 and r.json()["rescored"] == 1
    data = client.get(f"/api/rounds/{rid}").json()
    assert data["files"][0]["grade"] == "良" and data["rescored_at"]


def test_token_is_checked_on_every_request(make_client):
    c = make_client(token="s3cret-token", local_only=False, base_url="http://192.0.2.10:8000")
    assert c.get("/").status_code == 401
    r = c.get("/api/frameworks")
    assert r.status_code == 401 and r.json()["codes"] == ["token-required"]
    assert c.get("/api/frameworks", headers={"authorization": "Bearer wrong"}).status_code == 401
    assert c.get("/api/frameworks", headers={"authorization": "Bearer s3cret-token"}).status_code == 200
    assert c.get("/static/app.css").status_code == 401
    login = c.get("/rounds?token=s3cret-token", follow_redirects=False)
    assert login.status_code == 303 and login.headers["location"] == "/rounds"
    assert "HttpOnly" in login.headers["set-cookie"]
    assert c.get("/rounds").status_code == 200  # the cookie now carries the token
    c.cookies.clear()
    assert c.post("/api/score", files={"file": upload(DEMO)}).status_code == 401


def test_without_token_only_local_hosts(make_client):
    c = make_client(base_url="http://evil.example:8000")
    r = c.get("/")
    assert r.status_code == 403 and "本机" in r.text


def test_cross_site_form_posts_are_refused(client):
    r = client.post("/api/rounds", data={"name": "x"}, headers={"origin": "http://evil.example"})
    assert r.status_code == 403 and r.json()["codes"] == ["cross-origin"]
    ok = client.post("/api/rounds", data={"name": "x"}, headers={"origin": "http://127.0.0.1"})
    assert ok.status_code == 201


def test_unknown_route_is_json_under_api(client):
    r = client.get("/api/nothing")
    assert r.status_code == 404 and r.json()["message"]
    assert client.get("/nothing").status_code == 404


def test_a_worker_out_of_memory_does_not_take_the_server_down(make_client):
    c = make_client(memory_mb=32)  # far below what reading any workbook takes
    r = c.post("/api/score", files={"file": upload(DEMO)})
    assert r.status_code in (413, 500)
    # Out of memory shows up as MemoryError, a failed mmap of a library or a dead process:
    # whichever it is, the answer is a JSON message and the server goes on.
    assert r.json()["codes"][0] in ("worker-memory", "worker-crashed", "internal-error")
    assert r.json()["message"]
    assert c.get("/api/frameworks").status_code == 200
