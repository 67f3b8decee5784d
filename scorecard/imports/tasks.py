"""Background tasks of the import pages (Django Tasks: the django-tasks backport, ``django.tasks`` in 6.0).

The backend is settings.TASKS: the database backend (django-tasks-db, worker ``manage.py db_worker``,
started by ``make run``) by default, or RQ on Redis (``TASKS_BACKEND=rq``, workers ``manage.py rqworker``).
Arguments are record ids only, so any backend can carry them.
"""

from django_tasks import task

from scorecard.imports import services


@task()
def import_preview_task(record_id: int) -> str:
    """Check an uploaded file and record what importing it would do."""
    return services.import_preview_run(record_id=record_id)


@task()
def import_confirm_task(record_id: int) -> str:
    """Apply a confirmed preview."""
    return services.import_confirm_run(record_id=record_id)
