from pathlib import Path

from django.core.management.base import BaseCommand

from careers.content_io import DEFAULT_CONTENT_DIR, export_content


class Command(BaseCommand):
    help = "Write the content in the database to YAML files (the import format)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_CONTENT_DIR))

    def handle(self, path, **options):
        written = export_content(Path(path))
        self.stdout.write(f"Wrote {len(written)} files to {path}.")
