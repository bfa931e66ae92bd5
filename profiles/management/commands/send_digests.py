from django.core.management.base import BaseCommand

from profiles.digests import BATCH_SIZE, send_due


class Command(BaseCommand):
    help = "Send the weekly e-mails that are due; safe to run at any frequency (one per week)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, batch_size, **options):
        report = send_due(batch_size=batch_size)
        for line in report.sent:
            self.stdout.write(f"sent {line}")
        self.stdout.write(
            f"{len(report.sent)} sent, {report.already} already sent this week, "
            f"{report.nothing} with nothing to send"
        )
