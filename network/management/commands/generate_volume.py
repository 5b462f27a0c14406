import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from network.demo.volume import ParticipantGenerator, VolumeGenerator
from network.demo.volume_evaluations import evaluations_generate


class Command(BaseCommand):
    help = (
        "Generate N realistic offerings over ten years and P participants registered for them (deterministic for a "
        "seed), for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--offerings", type=int, default=0, help="How many offerings to make.")
        parser.add_argument(
            "--participants",
            type=int,
            default=0,
            help="How many participants to register over the volume's offerings (after the offerings are made).",
        )
        parser.add_argument(
            "--evaluations",
            action="store_true",
            help="Add evaluation answers to the volume's first courses, where they have none (after participants).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--skip-index", action="store_true", help="Do not rebuild the search index afterwards.")

    def handle(
        self, *args, offerings: int, participants: int, evaluations: bool, seed: int, skip_index: bool, **options
    ):
        if offerings < 0 or participants < 0 or (offerings + participants < 1 and not evaluations):
            raise CommandError("Give --offerings or --participants (at least 1), or --evaluations.")
        if offerings:
            started = time.monotonic()
            try:
                generator = VolumeGenerator(seed=seed)
            except ValueError as error:
                raise CommandError(str(error)) from error
            generator.generate(offerings, progress=self.progress)
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(f"Made {offerings} offerings in {time.monotonic() - started:.1f} s."))
        if participants:
            started = time.monotonic()
            try:
                made = ParticipantGenerator(seed=seed).generate(participants, progress=self.progress)
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(f"Made {made} participants in {time.monotonic() - started:.1f} s."))
        if evaluations:
            try:
                made = evaluations_generate(seed=seed)
            except ValueError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(self.style.SUCCESS(f"Made {made} evaluation answers."))
        if offerings and not skip_index:
            call_command("update_index", stdout=self.stdout)

    def progress(self, done: int, total: int) -> None:
        width = 40
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        stream = self.stdout if sys.stdout.isatty() else None
        line = f"\r[{bar}] {done}/{total}"
        if stream is not None:
            self.stdout.write(line, ending="")
            self.stdout.flush()
        elif done == total or done % (total // 10 or 1) < 250:
            self.stdout.write(f"[{bar}] {done}/{total}")
