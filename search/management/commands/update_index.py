"""`manage.py update_index`: Wagtail's index rebuild, printing for each model how many of how many objects are
indexed, and the time it took."""

from __future__ import annotations

import time

from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildCommand


class Command(RebuildCommand):
    help = "Rebuild the search index of every backend, showing progress per model."

    def queryset_chunks(self, qs, chunk_size=1000):
        self._progress_total = qs.count()
        self._progress_done = 0
        self._progress_started = time.monotonic()
        yield from super().queryset_chunks(qs, chunk_size)

    def print_iter_progress(self, iterable):
        total = None
        for chunk in iterable:
            total = self._progress_total
            yield chunk
            self._progress_done += len(chunk)
            percent = 100 * self._progress_done // total if total else 100
            self.write(f" {self._progress_done}/{total} ({percent}%)", ending="")
            self.stdout.flush()
        if total is None:
            self.write(" 0 objects", ending="")
        else:
            self.write(f" in {time.monotonic() - self._progress_started:.1f} s", ending="")
