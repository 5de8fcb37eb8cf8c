"""Generate N synthetic complaints fast, with their events (scale work,
issue 8). Uses the existing organisation and staff (run load_demo first)."""

import time

from django.core.management.base import BaseCommand, CommandError

from kesu.complaints.synthetic import (
    Generator,
    generate_parallel,
    text_index_suspended,
)


class Command(BaseCommand):
    help = "Generate N synthetic complaints with events (COPY on PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--events", type=int, default=10,
                            help="events per closed case, at most (default 10; an "
                                 "archived case needs 7)")
        parser.add_argument("--days", type=int, default=365,
                            help="spread the cases over this many past days")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--workers", type=int, default=1,
                            help="parallel processes (PostgreSQL only)")

    def handle(self, *args, count, batch, events, days, seed, workers, verbosity,
               **options):
        if count < 1 or batch < 1 or events < 2 or days < 1 or workers < 1:
            raise CommandError("count, batch, days and workers must be positive; "
                               "events >= 2")
        started = time.monotonic()
        try:
            with text_index_suspended(count):
                result = self._generate(count, batch, events, days, seed, workers,
                                        verbosity)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        result.seconds = time.monotonic() - started  # the index rebuild included
        self._report(result)

    def _generate(self, count, batch, events, days, seed, workers, verbosity):
        generator = Generator(events=events, days=days, seed=seed)
        if workers > 1:
            return generate_parallel(count, workers=workers, batch=batch,
                                     events=events, days=days, seed=seed)

        def progress(done, seconds):
            if verbosity > 1 or done.complaints == count:
                self.stderr.write(f"  {done.complaints}/{count} in {seconds:.1f}s")

        return generator.run(count, batch=batch, progress=progress)

    def _report(self, result) -> None:
        self.stdout.write(
            f"generated {result.complaints} complaints, {result.events} events, "
            f"{result.investigations} investigations in {result.seconds:.1f}s "
            f"({result.per_minute:,.0f} complaints/minute)")
