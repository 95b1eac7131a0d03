"""Holds a test's worker still inside a letter so that the test can kill it there.

TEST_WORKER_HOLD="<n>:render" lets n letters through, then holds the next one while
its PDF is rendered (nothing of it is stored yet). "<n>:stored" holds it just after
its file is written, before its row is committed: the worst moment to be killed.
Once held, it creates the file TEST_WORKER_HELD so the test knows when to kill it.

TEST_WORKER_SLOW="<seconds>" makes every letter take that much longer, spent while
the worker holds the decision's row, so that two workers overlap on one round.
"""

import os
import time
from pathlib import Path

from django.apps import AppConfig
from django.core.files.storage import FileSystemStorage

_letters_through, _, _hold_at = os.environ.get("TEST_WORKER_HOLD", "").partition(":")
_seen = {"render": 0, "stored": 0}
_slow = float(os.environ.get("TEST_WORKER_SLOW") or 0)


def _maybe_hold(point: str) -> None:
    _seen[point] += 1
    if point == _hold_at and _seen[point] > int(_letters_through):
        Path(os.environ["TEST_WORKER_HELD"]).touch()
        time.sleep(600)  # the test kills the worker long before this ends


class HoldingStorage(FileSystemStorage):
    def _save(self, name, content):
        name = super()._save(name, content)
        _maybe_hold("stored")
        return name


class HoldConfig(AppConfig):
    name = "tests.worker_hold"
    label = "worker_hold"

    def ready(self):
        from tilskudd.decisions import issuing

        render = issuing.render_letter_pdf

        def render_then_maybe_hold(decision):
            pdf = render(decision)
            time.sleep(_slow)
            _maybe_hold("render")
            return pdf

        issuing.render_letter_pdf = render_then_maybe_hold
