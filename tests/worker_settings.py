"""Settings for a real ``manage.py db_worker`` that a test starts against its own database.

The test hands over its database file, upload folder and mail folder in the
environment. The worker sends e-mail to files (a subprocess cannot reach the test's
locmem outbox), one file per message. With TEST_WORKER_HOLD set, tests.worker_hold
holds the worker still at a chosen point of a letter so the test can kill it there;
the application's code knows nothing of it.
"""

import os

from tilskudd.settings import *  # noqa: F403
from tilskudd.settings import DATABASES, INSTALLED_APPS

# The test's own database (SQLite file or PostgreSQL test database, whichever the suite runs on)
DATABASES["default"]["NAME"] = os.environ["TEST_WORKER_DATABASE"]
MEDIA_ROOT = os.environ["TEST_WORKER_MEDIA_ROOT"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["TEST_WORKER_MAIL_DIR"]

if os.environ.get("TEST_WORKER_HOLD") or os.environ.get("TEST_WORKER_SLOW"):
    INSTALLED_APPS = [*INSTALLED_APPS, "tests.worker_hold.HoldConfig"]
if os.environ.get("TEST_WORKER_HOLD"):
    STORAGES = {
        "default": {"BACKEND": "tests.worker_hold.HoldingStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
