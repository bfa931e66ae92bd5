import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.generator import DEMO_PASSWORD, DemoDataExists, DemoSpec, generate


class Command(BaseCommand):
    help = (
        "Generate demo tracks, skills and users with progress, mentors and notes, "
        "reproducible from --seed; all or nothing (one transaction)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--tracks", type=int, default=2)
        parser.add_argument("--skills-per-track", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--rows-per-user",
            type=int,
            default=30,
            help="Average number of skills each user recorded (default 30).",
        )
        parser.add_argument(
            "--extra-track",
            type=int,
            action="append",
            default=[],
            metavar="SKILLS",
            help="Add one more track of this many skills (repeatable), e.g. 300.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the existing demo data (users and content starting with demo-) first.",
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, **options):
        for name in ("users", "tracks", "skills_per_track"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1.")
        spec = DemoSpec(
            users=options["users"],
            tracks=options["tracks"],
            skills_per_track=options["skills_per_track"],
            seed=options["seed"],
            rows_per_user=options["rows_per_user"],
            extra_tracks=tuple(options["extra_track"]),
        )
        try:
            summary = generate(
                spec,
                now=timezone.now(),
                replace=options["replace"],
                stream=None if options["quiet"] else sys.stderr,
            )
        except DemoDataExists:
            raise CommandError(
                "The database already has demo data (users or content starting with demo-). "
                "Use --replace to delete it and generate again."
            ) from None
        self.stdout.write(
            f"Generated {summary.tracks} tracks, {summary.skills} skills, {summary.users} users, "
            f"{summary.progress} progress rows, {summary.log} status changes, "
            f"{summary.mentorships} mentorships and {summary.notes} mentor notes "
            f"in {summary.seconds:.1f} s (seed {spec.seed})."
        )
        self.stdout.write(
            f"Log in as demo-user-000000@demo.invalid (it mentors 50 people), or any "
            f"demo-user-NNNNNN@demo.invalid, with the password {DEMO_PASSWORD!r}."
        )
