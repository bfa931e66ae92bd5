"""Screenshots of the main pages into docs/screenshots/, for the README.

    .venv/bin/python scripts/screenshots.py

Sets up a throwaway SQLite database with the bundled content and a demo learner with some
progress and a mentor, starts the development server on a free port, and photographs each
page of PAGES (and the mentor's view of the learner) at desktop (1280 px) and phone (375 px)
width, in light and dark, in English and Chinese, into files named
``<page>-<desktop|phone>-<light|dark>-<en|zh>.png``, plus ``track.png`` (the desktop, light,
English roadmap) for the top of the README and the transcript PDF's first page. Only the
viewport is captured, not the whole page, which keeps the files small.

Needs Chromium (``/usr/bin/chromium`` or CHROMIUM_PATH) and, for the Chinese pages, a CJK
font such as fonts-noto-cjk.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PYTHON = sys.executable
PASSWORD = "a-demo-passphrase-for-screenshots"  # noqa: S105 - a throwaway local account
TRACK = "llm-data-engineer"

PAGES = {
    "landing": "/",
    "track": f"/tracks/{TRACK}/",
    "panel": f"/tracks/{TRACK}/",  # with a skill open in the panel beside the map
    "skill": "/skills/python/",
    "dashboard": "/me/",
    "report": "/me/report/",
    "advisor": "/advisor/?background=software&experience=3-5&interests=infra&domain=no",
    "plan": "/me/plan/",
    "search": "/search/?q=vllm",
    "skills": "/skills/?track=llm-data-engineer",
    "jobs": "/jobs/new/",
}
# Seen by the demo learner's mentor rather than the learner.
MENTOR_PAGES = {"mentor": "/u/demo/"}
# Pages photographed after a click: the node whose skill opens in the panel.
CLICKS = {"panel": "#node-deep-learning-fundamentals .map-node-link"}
WIDTHS = {"desktop": (1280, 800), "phone": (375, 812)}
LANGUAGES = {"en": "en-US", "zh": "zh-CN"}
THEMES = ("light", "dark")

SEED = f"""
from datetime import timedelta
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from careers.models import Skill, Track
from profiles.models import MentorNote, Mentorship, Profile, SkillProgress, StatusChange
from profiles.progress import set_progress

User = get_user_model()
demo = User.objects.create_user("demo", "demo@example.com", {PASSWORD!r})
mentor = User.objects.create_user("mentor", "mentor@example.com", {PASSWORD!r})
# Log-in needs a confirmed address (ACCOUNT_EMAIL_VERIFICATION is mandatory).
for user in (demo, mentor):
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
track = Track.objects.get(slug={TRACK!r})
Profile.objects.filter(user=demo).update(
    target_track=track, background="software", weekly_hours=8, onboarded=True
)
skills = list(Skill.objects.filter(step_skills__track=track).order_by("step_skills__order"))
for skill in skills[:9]:
    set_progress(demo, skill, status="done")
for skill in skills[9:12]:
    set_progress(demo, skill, status="learning")
set_progress(demo, skills[12], status="skipped")
# Spread the history over the last weeks, so the activity charts have something to show
# (the log's own queryset refuses updates: it is append-only for the app, not for a demo).
now = timezone.now()
log = QuerySet(StatusChange)
for n, pk in enumerate(log.filter(user=demo).order_by("pk").values_list("pk", flat=True)):
    log.filter(pk=pk).update(changed_at=now - timedelta(days=3 * (13 - n)))
# The transcript's dates and evidence as a real learner's would be: each skill done on the
# day its change was logged, verified two days later, most of them with a link to the work.
mentorship = Mentorship.objects.create(mentee=demo, mentor=mentor)
for n, skill in enumerate(skills[:9]):
    done_on = now - timedelta(days=3 * (13 - n))
    SkillProgress.objects.filter(user=demo, skill=skill).update(
        started_at=done_on - timedelta(days=10),
        completed_at=done_on,
        evidence_url=f"https://github.com/demo-learner/{{skill.slug}}" if n % 3 != 2 else "",
    )
    if n < 3:
        SkillProgress.objects.filter(user=demo, skill=skill).update(
            verified_by=mentor, verified_at=done_on + timedelta(days=2)
        )
MentorNote.objects.create(mentorship=mentorship, text="Good pace. Try a small dedup project next.")
# The plan the learner made on their first visit to /me/plan/, as the baseline to measure against.
from profiles import plans
plan_settings = plans.settings_for(demo)
loaded = plans.load(demo, Profile.objects.get(user=demo), settings=plan_settings)
plans.rebaseline(plan_settings, loaded.plan, loaded.target_key)
plan_settings.save()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def take(browser, base: str, storage: dict, pages: dict, only: set[str]) -> list[Path]:
    written = []
    pages = {name: path for name, path in pages.items() if not only or name in only}
    for lang, locale in LANGUAGES.items():
        for theme in THEMES:
            for size, (width, height) in WIDTHS.items():
                context = browser.new_context(
                    base_url=base,
                    locale=locale,
                    color_scheme=theme,
                    viewport={"width": width, "height": height},
                    storage_state=storage,
                )
                page = context.new_page()
                for name, path in pages.items():
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    if name in CLICKS:
                        page.click(CLICKS[name])
                        page.wait_for_selector("#panel-title")
                        page.wait_for_load_state("networkidle")
                    target = OUT / f"{name}-{size}-{theme}-{lang}.png"
                    page.screenshot(path=target)
                    written.append(target)
                    if (name, size, theme, lang) == ("track", "desktop", "light", "en"):
                        shutil.copyfile(target, OUT / "track.png")
                        written.append(OUT / "track.png")
                context.close()
    return written


def pdf_pages(browser, base: str, storage: dict, tmp: str) -> list[Path]:
    """The first page of the transcript's PDF in each language, as PNG (needs pdftoppm)."""
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        print("pdftoppm not found (apt-get install poppler-utils): PDF pages skipped")
        return []
    written = []
    for lang, locale in LANGUAGES.items():
        context = browser.new_context(
            base_url=base,
            locale=locale,
            storage_state=storage,
            extra_http_headers={"Accept-Language": locale},
        )
        pdf = Path(tmp) / f"report-{lang}.pdf"
        pdf.write_bytes(context.request.get("/me/report.pdf").body())
        context.close()
        stem = OUT / f"report-pdf-{lang}"
        subprocess.run(  # noqa: S603
            [pdftoppm, "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", pdf, stem],
            check=True,
        )
        written.append(stem.with_suffix(".png"))
    return written


def log_in(browser, base: str, email: str) -> dict:
    context = browser.new_context(base_url=base, locale="en-US")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/me/")
    storage = context.storage_state()
    context.close()
    return storage


@contextmanager
def demo_site(tmp: str):
    """The throwaway site: a database with the bundled content and the demo people, and the
    development server on a free port. Yields the server's base URL."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
    }
    env.update(DEBUG="1", DATABASE_URL=f"sqlite:///{tmp}/db.sqlite3", PYTHONUNBUFFERED="1")
    # Addresses the pages print (the transcript's footer, invitation links) name a real site.
    env["SITE_URL"] = "https://skillpath.example.com"
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "import_content")
    manage(env, "shell", "-c", SEED)
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def chromium_path() -> str:
    """The system Chromium, as the browser tests use it."""
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not chromium:
        sys.exit("Chromium not found: install it or set CHROMIUM_PATH.")
    return chromium


def launch(playwright, chromium: str):
    return playwright.chromium.launch(
        executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
    )


def main() -> None:
    # --only dashboard,report,pdf photographs those pages alone ("pdf": the PDF's first page).
    only = set(sys.argv[sys.argv.index("--only") + 1].split(",")) if "--only" in sys.argv else set()
    chromium = chromium_path()
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="skillpath-shots-") as tmp,
        demo_site(tmp) as base,
        sync_playwright() as playwright,
    ):
        browser = launch(playwright, chromium)
        storage = log_in(browser, base, "demo@example.com")
        written = take(browser, base, storage, PAGES, only)
        mentor = log_in(browser, base, "mentor@example.com")
        written += take(browser, base, mentor, MENTOR_PAGES, only)
        if not only or "pdf" in only:
            written += pdf_pages(browser, base, storage, tmp)
        browser.close()
    total = sum(path.stat().st_size for path in written)
    print(f"{len(written)} screenshots in {OUT.relative_to(ROOT)}/ ({total / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
