"""Background task: build every pack of a summit (Django Tasks; arguments are record ids only)."""

from django_tasks import task

from peerchallenge.packs import services


@task()
def summit_packs_task(build_id: int) -> str:
    return services.pack_build_run(build_id=build_id)
