import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from careers.content_io import DEFAULT_CONTENT_DIR, ContentError, read_content, write_content
from careers.models import Track


class Command(BaseCommand):
    help = "Validate the content files and load them into the database, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_CONTENT_DIR))
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change; write nothing."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only import when the database has no tracks yet (never overwrite edits).",
        )

    def handle(self, path, dry_run, if_empty, **options):
        if if_empty and Track.objects.exists():
            self.stdout.write("Content already loaded; nothing imported.")
            return
        try:
            content = read_content(Path(path))
        except ContentError as exc:
            for error in exc.errors:
                self.stderr.write(f"error: {error}")
            raise CommandError(
                f"{len(exc.errors)} problem(s) in {path}; nothing was written."
            ) from None
        # A bar on a terminal only (disable=None), for large files; never at verbosity 0.
        with tqdm(
            total=content.size,
            desc="import",
            unit="row",
            file=sys.stderr,
            disable=None if options["verbosity"] else True,
            leave=False,
        ) as bar:
            report = write_content(content, dry_run=dry_run, advance=bar.update)
        prefix = "would have " if dry_run else ""
        if not report.changed:
            self.stdout.write("No changes: the database already matches the files.")
        for line in report.lines():
            self.stdout.write(prefix + line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
