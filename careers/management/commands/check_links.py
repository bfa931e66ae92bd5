import sys
import threading
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from careers.content_io import (
    DEFAULT_CONTENT_DIR,
    SKILLS_FILE,
    ContentError,
    dump_yaml,
    read_content,
)
from careers.linkcheck import DEFAULT_TIMEOUT, DEFAULT_WORKERS, LinkResult, check_url, check_urls


class Command(BaseCommand):
    help = (
        "Check every resource URL in the content files (HEAD, then GET), report what did not "
        "answer and what redirected; with --update, record today as 'checked' on those that did."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_CONTENT_DIR))
        parser.add_argument("--update", action="store_true", help="write the dates into the file")
        parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
        parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds")

    def handle(self, path, update, workers, timeout, **options):
        directory = Path(path)
        try:
            content = read_content(directory)
        except ContentError as exc:
            for error in exc.errors:
                self.stderr.write(f"error: {error}")
            raise CommandError("The content files are invalid; no link was checked.") from None
        used_by: dict[str, list[str]] = {}
        for skill in content.skills:
            for resource in skill.resources:
                used_by.setdefault(resource.url, []).append(skill.slug)
        self.stdout.write(f"Checking {len(used_by)} URLs with {workers} workers…")
        # A bar on a terminal only (disable=None); never at verbosity 0.
        with tqdm(
            total=len(used_by),
            desc="links",
            unit="URL",
            file=sys.stderr,
            disable=None if options["verbosity"] else True,
            leave=False,
        ) as bar:
            counting = threading.Lock()  # the workers' threads all move one bar

            def check(url: str, timeout: float) -> LinkResult:
                result = check_url(url, timeout)
                with counting:
                    bar.update()
                return result

            results = check_urls(used_by, workers=workers, timeout=timeout, check=check)

        broken = [r for r in results.values() if not r.answered]
        redirected = [r for r in results.values() if r.answered and r.redirected]
        for result in sorted(broken, key=lambda r: r.url):
            skills = ", ".join(used_by[result.url])
            self.stdout.write(f"BROKEN    {result.url} ({result.error}) in {skills}")
        for result in sorted(redirected, key=lambda r: r.url):
            skills = ", ".join(used_by[result.url])
            self.stdout.write(f"REDIRECT  {result.url} -> {result.final_url} in {skills}")
        answered = len(results) - len(broken)
        self.stdout.write(
            f"{answered} answered ({len(redirected)} after a redirect), {len(broken)} did not."
        )
        if update:
            count = self._record(directory, {url for url, r in results.items() if r.answered})
            self.stdout.write(f"Recorded today's date on {count} resources in {SKILLS_FILE}.")

    def _record(self, directory: Path, answered: set[str]) -> int:
        # The files are written by dump_yaml, so a load and dump changes only the dates.
        path = directory / SKILLS_FILE
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        today = timezone.localdate()
        count = 0
        for skill in data["skills"]:
            for resource in skill.get("resources") or []:
                if resource["url"] in answered:
                    resource["checked"] = today
                    count += 1
        path.write_text(dump_yaml(data), encoding="utf-8")
        return count
