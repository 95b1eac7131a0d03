"""What the national-scale benchmarks share: Django on the national data, and its last year's rounds.

``setup`` points Django at a throw-away SQLite database (or the one in ``var_dir``, a
TILSKUDD_VAR_DIR, reused across runs) with DEBUG off, migrates it and, if it has no
rounds, makes the national data (manage.py generate_national_data --seed 1, ~16 s).
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(*, var_dir: str, prefix: str) -> None:
    os.environ["TILSKUDD_VAR_DIR"] = var_dir or tempfile.mkdtemp(prefix=prefix)
    os.environ["DEBUG"] = "0"
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command

    from tilskudd.rounds.models import Round

    call_command("migrate", verbosity=0)
    if not Round.objects.exists():
        call_command("generate_national_data", seed=1)


def last_year_rounds() -> list:
    """The last year's rounds (at the assessment stage), the one with the most lines first; each has ``lines``."""
    from django.db.models import Count

    from tilskudd.rounds.models import Round

    last_year = Round.objects.order_by("-year").values_list("year", flat=True).first()
    return list(
        Round.objects.filter(year=last_year).annotate(lines=Count("applications__lines")).order_by("-lines")
    )
