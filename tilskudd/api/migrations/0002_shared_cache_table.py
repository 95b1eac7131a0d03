"""The table of CACHES["shared"] (settings.py): the API's rate limits, counted across processes.

Django's ``createcachetable`` makes a table only for the caches configured as database caches
when it runs; this migration makes it whatever the configuration, so ``migrate`` (and so
``make run``, ``make serve`` and the test database) always has it, and SHARED_CACHE=database
works without another step.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "tilskudd_shared_cache"


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
