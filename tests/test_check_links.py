"""manage.py check_links against a local HTTP server: no outside network is needed."""

import datetime
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
import yaml
from django.core.management import CommandError, call_command

from careers.content_io import read_content
from careers.linkcheck import PER_HOST, USER_AGENT, LinkResult, check_url, check_urls

from .content_samples import valid_files, write_files

SEEN: list[tuple[str, str, str]] = []  # (method, path, user agent)


class Handler(BaseHTTPRequestHandler):
    def _answer(self, method):
        SEEN.append((method, self.path, self.headers.get("User-Agent", "")))
        if self.path == "/ok":
            self._send(200)
        elif self.path == "/no-head":
            self._send(405 if method == "HEAD" else 200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/slow":
            threading.Event().wait(2)
            self._send(200)
        else:
            self._send(404)

    def _send(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self._answer("HEAD")

    def do_GET(self):
        self._answer("GET")

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    SEEN.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_head_is_tried_first_and_get_only_when_head_fails(server):
    assert check_url(f"{server}/ok").answered
    assert check_url(f"{server}/no-head").method == "GET"
    assert [(m, p) for m, p, _ in SEEN] == [
        ("HEAD", "/ok"),
        ("HEAD", "/no-head"),
        ("GET", "/no-head"),
    ]
    assert {agent for _, _, agent in SEEN} == {USER_AGENT}


def test_redirects_are_followed_and_reported(server):
    result = check_url(f"{server}/moved")
    assert result.answered and result.redirected
    assert result.final_url == f"{server}/ok"


def test_a_missing_page_and_a_slow_one_did_not_answer(server):
    gone = check_url(f"{server}/gone")
    assert (gone.answered, gone.status, gone.error) == (False, 404, "HTTP 404")
    slow = check_url(f"{server}/slow", timeout=0.3)
    assert (slow.answered, slow.error) == (False, "timed out")
    assert [p for _, p, _ in SEEN].count("/slow") == 1, "a timeout is not retried with GET"


def test_each_url_is_checked_once_however_often_it_is_listed(server):
    results = check_urls([f"{server}/ok", f"{server}/ok", f"{server}/moved"], workers=4)
    assert set(results) == {f"{server}/ok", f"{server}/moved"}
    assert [p for _, p, _ in SEEN].count("/ok") == 2  # once itself, once at the end of /moved


def test_no_host_gets_more_than_two_requests_at_a_time():
    running, most, lock = Counter(), Counter(), threading.Lock()

    def slow_check(url, timeout):
        host = url.split("/")[2]
        with lock:
            running[host] += 1
            most[host] = max(most[host], running[host])
        time.sleep(0.05)
        with lock:
            running[host] -= 1
        return LinkResult(url, 200, url, "HEAD")

    urls = [f"https://{host}/{n}" for host in ("a.test", "b.test") for n in range(6)]
    results = check_urls(urls, workers=8, check=slow_check)
    assert len(results) == 12
    assert PER_HOST == 2 and most == {"a.test": 2, "b.test": 2}


def test_the_command_reports_and_records_the_date_of_those_that_answered(server, tmp_path):
    files = valid_files()
    skills = files["skills.yaml"]["skills"]
    skills[0]["resources"][0]["url"] = f"{server}/ok"
    skills[0]["resources"][1]["url"] = f"{server}/moved"
    skills[1]["resources"][0]["url"] = f"{server}/gone"
    skills[1]["resources"][1]["url"] = f"{server}/no-head"
    for other in skills[2:]:
        other["resources"] = []
    write_files(tmp_path, files)
    out = StringIO()
    call_command("check_links", str(tmp_path), "--update", "--timeout", "2", stdout=out)
    report = out.getvalue()
    assert f"BROKEN    {server}/gone (HTTP 404) in sql" in report
    assert f"REDIRECT  {server}/moved -> {server}/ok in python" in report
    assert "3 answered (1 after a redirect), 1 did not." in report

    content = read_content(tmp_path)
    checked = {r.url: r.checked for s in content.skills for r in s.resources}
    today = datetime.date.today()
    assert checked == {
        f"{server}/ok": today,
        f"{server}/moved": today,
        f"{server}/gone": None,
        f"{server}/no-head": today,
    }
    raw = yaml.safe_load((tmp_path / "skills.yaml").read_text())
    assert raw["skills"][0]["resources"][0]["checked"] == today


def test_without_update_the_files_are_left_alone(server, tmp_path):
    files = valid_files()
    for skill in files["skills.yaml"]["skills"]:
        skill["resources"] = []
    files["skills.yaml"]["skills"][0]["resources"] = [
        {"title": {"en": "Ok"}, "url": f"{server}/ok", "kind": "docs", "language": "en"}
    ]
    write_files(tmp_path, files)
    before = (tmp_path / "skills.yaml").read_text()
    call_command("check_links", str(tmp_path), stdout=StringIO())
    assert (tmp_path / "skills.yaml").read_text() == before


def test_invalid_content_is_refused_before_any_request(tmp_path):
    files = valid_files()
    files["skills.yaml"]["skills"][0]["hours"] = -1
    write_files(tmp_path, files)
    with pytest.raises(CommandError, match="no link was checked"):
        call_command("check_links", str(tmp_path), stdout=StringIO(), stderr=StringIO())
