"""Paste a posting, read the result, save it, target it, see it on the dashboard: en and zh."""

import pytest
from playwright.sync_api import expect

from careers.models import Skill
from profiles.progress import set_progress

from .factories import UserFactory

PASSWORD = "a-long-unusual-passphrase-42"

ENGLISH = """Inference Engineer

Requirements:
- Python and Docker
- Serve models with vLLM on Kubernetes
- KV cache and quantization (AWQ, GPTQ)

Nice to have:
- Speculative decoding
- <b>Triton</b> kernels
"""

CHINESE = """推理工程师

任职要求：
1. 熟练掌握 Python，熟悉 Docker 与 K8s；
2. 使用 vLLM 部署大模型，熟悉 KV Cache 与模型量化；

加分项：
- 投机解码
- 了解知识图谱
"""


@pytest.fixture
def learner(transactional_db, import_bundled_content):
    import_bundled_content()
    user = UserFactory(username="learner", email="learner@example.com", password=PASSWORD)
    for slug in ("python", "linux-shell", "docker"):
        set_progress(user, Skill.objects.get(slug=slug), status="done")
    return user


def log_in(page, button):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("learner@example.com")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_visitor_sees_the_skills_and_is_invited_to_sign_up(page, learner):
    page.goto("/jobs/new/")
    page.get_by_label("The job posting").fill(ENGLISH)
    page.get_by_role("button", name="Analyse the posting").click()
    main = page.locator("main")
    expect(main).to_contain_text("The skills it asks for")
    expect(page.locator("mark a", has_text="vLLM")).to_have_attribute(
        "href", "/skills/llm-serving-engines/"
    )
    expect(main).to_contain_text("<b>Triton</b>")  # pasted HTML is shown as text
    expect(main.get_by_role("link", name="Sign up")).to_be_visible()


def test_paste_save_target_dashboard_in_english(page, learner):
    log_in(page, "Log in")
    page.goto("/jobs/new/")
    page.get_by_label("Title (optional)").fill("Inference at Acme")
    page.get_by_label("The job posting").fill(ENGLISH)
    page.get_by_role("button", name="Analyse the posting").click()
    main = page.locator("main")
    expect(main).to_contain_text("Your gap to this job")
    expect(page.locator("#have-heading + ul")).to_contain_text("Python")
    expect(page.locator("#missing-heading + ul")).to_contain_text("KV cache")
    expect(main).to_contain_text("Needed but not named")
    expect(main).to_contain_text("The closest track")

    page.get_by_role("button", name="Save this posting").click()
    page.wait_for_url("**/jobs/*/")
    expect(main).to_contain_text("The posting is saved.")
    page.get_by_role("button", name="Make this job my target").click()
    expect(main).to_contain_text("This job is now your target")

    page.goto("/me/")
    tile = page.locator(".job-target")
    expect(tile).to_contain_text("You vs. your target job")
    expect(tile).to_contain_text("Inference at Acme")
    tile.get_by_role("link", name="Inference at Acme").click()
    expect(page.locator("h1")).to_have_text("Inference at Acme")


def test_paste_save_target_dashboard_in_chinese(browser, live_server, learner):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, "登录")
    page.goto("/jobs/new/")
    expect(page.locator("h1")).to_have_text("我离这个职位还有多远？")
    page.get_by_role("textbox", name="招聘启事").fill(CHINESE)
    page.get_by_role("button", name="分析招聘启事").click()
    main = page.locator("main")
    expect(main).to_contain_text("你与这个职位的差距")
    expect(page.locator("#have-heading + ul")).to_contain_text("Python")
    expect(page.locator("mark a", has_text="投机解码")).to_have_attribute(
        "href", "/skills/speculative-decoding/"
    )
    expect(page.locator("mark.optional", has_text="投机解码")).to_be_visible()
    # A Chinese term that no skill knows is listed for the editors.
    expect(page.locator("#unmatched-heading + p + ul")).to_contain_text("知识图谱")

    page.get_by_role("button", name="保存这份招聘启事").click()
    page.wait_for_url("**/jobs/*/")
    expect(main).to_contain_text("招聘启事已保存。")
    page.get_by_role("button", name="设为我的目标职位").click()
    expect(main).to_contain_text("这个职位已设为你的目标")
    page.goto("/me/")
    expect(page.locator(".job-target")).to_contain_text("你与目标职位")
    expect(page.locator(".job-target")).to_contain_text("推理工程师")
    context.close()


def test_job_pages_are_accessible(browser, live_server, learner):
    from profiles.models import JobPosting, Profile

    from .test_accessibility import _check, audit_pages

    posting = JobPosting.objects.create(owner=learner, title="Inference", text=ENGLISH)
    JobPosting.objects.create(owner=learner, text=CHINESE)
    Profile.objects.filter(user=learner).update(target_job=posting)
    paths = ["/jobs/new/", f"/jobs/{posting.pk}/", "/jobs/", "/jobs/compare/", "/me/"]
    _check(audit_pages(browser, live_server, learner, paths), len(paths) * 2)
