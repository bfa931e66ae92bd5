from django.core.management.base import BaseCommand, CommandError

from profiles.digests import BATCH_SIZE, send_due


class Command(BaseCommand):
    help = "Send the weekly e-mails that are due; safe to run at any frequency (one per week)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        report = send_due(batch_size=batch_size)
        for line in report.sent:
            self.stdout.write(f"sent {line}")
        for name in report.failed:
            self.stdout.write(f"failed {name}")
        self.stdout.write(
            f"{len(report.sent)} sent, {report.already} already sent this week, "
            f"{report.nothing} with nothing to send, {len(report.failed)} failed"
        )
        if report.failed:
            # A non-zero exit, so cron or the timer reports it; the next run tries them again.
            raise CommandError(f"{len(report.failed)} e-mails failed (see the log); rerun to retry")
