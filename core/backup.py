"""Backup and restore of the whole database as one file, portable between SQLite and PostgreSQL.

The file is Django's XML serialisation (not JSON, whose encoder keeps only milliseconds of a time:
a restored history would differ from the original in the microseconds).

``manage.py export_all PATH`` writes every row of every app (councils, people and roles, measures,
values and their history, import records, API tokens, the sign-in audit log, admin log) with
``dumpdata --natural-foreign``; content types and permissions are referred to by their natural keys,
so the file loads into a database whose content-type ids differ. Sessions are left out.

``manage.py import_all PATH`` restores it into a migrated database that holds no data of its own
(only the reference rows the migrations load, which the file replaces), in one transaction: on any
error nothing is kept. Primary keys are kept, and PostgreSQL sequences are reset by ``loaddata``.
"""

import gzip
from pathlib import Path
from xml.etree import ElementTree

from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.test.utils import override_settings

from core.cache import rows_written

EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
SUFFIXES = (".xml", ".xml.gz")


class RestoreError(Exception):
    """The file cannot be restored here (a clear message for the operator)."""


def _open(path: Path, mode: str, *, gzipped: bool):  # type: ignore[no-untyped-def]
    return gzip.open(path, mode, encoding="utf-8") if gzipped else path.open(mode, encoding="utf-8")


def backup_export(*, path: Path) -> int:
    """Write the whole database to ``path`` (JSON, gzipped when it ends in .gz); return the row count."""
    path = Path(path)
    if not path.name.endswith(SUFFIXES):
        raise RestoreError(f"name the backup file .xml or .xml.gz, not {path.name}")
    tmp = path.with_name(path.name + ".part")
    gzipped = path.name.endswith(".gz")
    with _open(tmp, "wt", gzipped=gzipped) as handle:
        call_command(
            "dumpdata",
            natural_foreign=True,
            exclude=EXCLUDED,
            format="xml",
            stdout=handle,
        )
    with _open(tmp, "rt", gzipped=gzipped) as handle:
        rows = _count(handle)
    tmp.replace(path)
    return rows


def _user_data_present() -> list[str]:
    """Labels of models holding rows that no migration creates (each app's ``user_data_models``), so the
    database is not empty."""
    return [
        model._meta.label
        for config in apps.get_app_configs()
        for name in getattr(config, "user_data_models", ())
        if (model := config.get_model(name))._base_manager.exists()
    ]


def backup_restore(*, path: Path) -> int:
    """Load a file written by :func:`backup_export` into this (empty, migrated) database."""
    path = Path(path)
    if not path.is_file():
        raise RestoreError(f"{path} is not a file")
    if not path.name.endswith(SUFFIXES):
        raise RestoreError(f"{path.name} is not a .xml or .xml.gz backup written by export_all")
    present = _user_data_present()
    if present:
        raise RestoreError(
            "the database is not empty (it has " + ", ".join(present) + "): restore into a new, "
            "migrated database"
        )
    with _open(path, "rt", gzipped=path.name.endswith(".gz")) as handle:
        try:
            labels = {
                label
                # The operator's own backup; loaddata parses it with Django's DefusedExpatParser, and
                # the expat bundled with Python refuses entity-expansion attacks.
                for _, element in ElementTree.iterparse(handle)  # noqa: S314
                # Many-to-many values are nested <object pk="…"> elements with no model attribute.
                if element.tag == "object" and (label := element.get("model"))
            }
        except ElementTree.ParseError as exc:
            raise RestoreError(f"{path} is not a backup written by export_all ({exc})") from exc
    if not labels:
        raise RestoreError(f"{path} holds no rows: it is not a backup written by export_all")
    with transaction.atomic():
        # The migrations load reference data (regions, councils, domains, catalogue); the file holds
        # the source's own copy of those rows, with its primary keys, so they are replaced.
        models = []
        for label in sorted(labels):
            try:
                models.append(apps.get_model(label))
            except (LookupError, ValueError) as exc:
                raise RestoreError(f"the backup holds {label!r}, which this version does not know") from exc
        loaded = tuple(models)
        # The backup holds every history row already: neither replacing the migrations' rows (reference data
        # with a history, such as the self-assessment frameworks) nor loading many-to-many values may write
        # more (django-simple-history records deletes and m2m changes even for fixture loads, unlike raw saves).
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            # Delete dependants before what they protect (e.g. councils before regions).
            while models:
                blocked = []
                for model in models:
                    try:
                        with transaction.atomic():
                            model._base_manager.all().delete()
                    except ProtectedError:
                        blocked.append(model)
                if len(blocked) == len(models):
                    raise RestoreError("the reference data of this database cannot be replaced")
                models = blocked
            call_command("loaddata", str(path), verbosity=0)
        rows_written(*loaded)  # loaddata's saves are raw: the version signals leave them to this
    connection.close()
    with _open(path, "rt", gzipped=path.name.endswith(".gz")) as handle:
        return _count(handle)


def _count(handle) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for _, element in ElementTree.iterparse(handle) if element.tag == "object")  # noqa: S314
