"""Background tasks: build every pack of a summit, or one pack (Django Tasks; arguments are record ids)."""

from django_tasks import task

from peerchallenge.packs import services


@task()
def summit_packs_task(build_id: int) -> str:
    return services.pack_build_run(build_id=build_id)


@task()
def pack_task(
    council_id: int, summit_id: int | None, include_questions: bool, period_id: int | None = None
) -> str:
    return services.pack_one_run(
        council_id=council_id, summit_id=summit_id, include_questions=include_questions, period_id=period_id
    )
