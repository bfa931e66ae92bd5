"""Check that the resources' links still answer: HEAD, falling back to GET, a few at a time."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

# Says who is asking and why, so that site owners can tell a link check from a crawler.
USER_AGENT = "SkillPath-link-checker/1.0 (checks that a learning resource still answers)"
DEFAULT_WORKERS = 8
# At most this many requests to one host at a time, however many workers there are.
PER_HOST = 2
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class LinkResult:
    """What one URL answered."""

    url: str
    status: int | None  # the final HTTP status, None when nothing answered
    final_url: str | None  # where redirects ended, when they were followed
    method: str  # the method of the last request made: HEAD or GET
    error: str = ""

    @property
    def answered(self) -> bool:
        """The link works: it ended, after any redirects, in a status below 400."""
        return self.status is not None and self.status < 400

    @property
    def redirected(self) -> bool:
        return bool(self.final_url) and self.final_url != self.url


def _request(url: str, method: str, timeout: float) -> LinkResult:
    if urlsplit(url).scheme not in {"http", "https"}:
        return LinkResult(url, None, None, method, "not an http(s) URL")
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    request = Request(url, method=method, headers=headers)  # noqa: S310 (scheme checked above)
    try:
        # urlopen follows redirects (up to 10) and returns once the headers are in:
        # a GET does not download the body.
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked above)
            return LinkResult(url, response.status, response.url, method)
    except HTTPError as exc:
        return LinkResult(url, exc.code, exc.url, method, f"HTTP {exc.code}")
    except TimeoutError:
        return LinkResult(url, None, None, method, "timed out")
    except (URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            return LinkResult(url, None, None, method, "timed out")
        return LinkResult(url, None, None, method, str(reason))


def check_url(url: str, timeout: float = DEFAULT_TIMEOUT) -> LinkResult:
    """HEAD the URL; if that fails for any reason but a timeout, GET it."""
    result = _request(url, "HEAD", timeout)
    # Many servers refuse or mishandle HEAD (403, 405, 501...), so a failed HEAD proves
    # nothing; a timeout does, and retrying it would only double the wait.
    if result.answered or result.error == "timed out":
        return result
    return _request(url, "GET", timeout)


def check_urls(
    urls: Iterable[str],
    workers: int = DEFAULT_WORKERS,
    timeout: float = DEFAULT_TIMEOUT,
    check: Callable[[str, float], LinkResult] = check_url,
) -> dict[str, LinkResult]:
    """Check each distinct URL once, with a pool of workers and a limit per host."""
    unique = list(dict.fromkeys(urls))
    hosts: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(PER_HOST))
    for url in unique:
        hosts[urlsplit(url).netloc.lower()]  # noqa: B018 (create every semaphore before threads run)

    def polite(url: str) -> LinkResult:
        with hosts[urlsplit(url).netloc.lower()]:
            return check(url, timeout)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return dict(zip(unique, pool.map(polite, unique), strict=True))
