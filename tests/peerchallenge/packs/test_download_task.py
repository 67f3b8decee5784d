"""A download never waits for a build. A pack not built yet is built by a real task worker
(the database backend, or RQ when TASKS_TEST_BACKEND=rq) while its page waits and refreshes itself."""

import pytest
from django.test import Client

from peerchallenge.packs import services
from tests.factories import MembershipFactory, UserFactory
from tests.pack_helpers import BIRMINGHAM, COVENTRY, pdf_pages, small_summit

pytestmark = [pytest.mark.pdf, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def coventry(worker):  # type: ignore[no-untyped-def]
    """Demo figures, a published summit where Coventry challenges Birmingham, and Coventry's DASS signed in."""
    from councils.models import Council, Membership
    from scorecard.demo import demo_values_seed

    demo_values_seed()
    summit = small_summit(councils=(BIRMINGHAM, COVENTRY))
    council = Council.objects.get(gss_code=COVENTRY)
    user = MembershipFactory(
        user=UserFactory(username="c.dass"), role=Membership.Role.DASS, council=council
    ).user
    client = Client()
    client.force_login(user)
    return summit, client


def test_a_pack_not_built_yet_is_built_in_the_background_while_its_page_waits(coventry, worker, monkeypatch):
    summit, client = coventry
    url = f"/summits/{summit.pk}/packs/{BIRMINGHAM}.pdf"

    first = client.get(url)  # not built: the build is enqueued, the page waits
    preparing = f"/summits/{summit.pk}/packs/{BIRMINGHAM}/preparing/?file=pdf"
    assert first.status_code == 302 and first["Location"] == preparing
    page = client.get(preparing)
    text = page.content.decode()
    assert page.status_code == 200 and "Preparing the pack for Birmingham" in text
    assert "data-app-progress" in text and "no-store" in page["Cache-Control"]
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in text  # without JavaScript
    status = client.get(preparing + "&format=json").json()
    assert {k: status[k] for k in ("state", "finished", "url")} == {
        "state": "building",
        "finished": False,
        "url": url,
    }
    # A second click does not enqueue a second build.
    calls = []

    class Spy:
        def using(self, **kwargs):  # type: ignore[no-untyped-def]
            return self

        def enqueue(self, *args):  # type: ignore[no-untyped-def]
            calls.append(args)

    monkeypatch.setattr("peerchallenge.packs.tasks.pack_task", Spy())
    assert client.get(url).status_code == 302 and calls == []
    monkeypatch.undo()

    worker.run()  # the worker builds it
    ready = client.get(preparing)
    assert ready.status_code == 302 and ready["Location"] == url
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    pages = pdf_pages(b"".join(download.streaming_content))
    assert "Birmingham (GSS code E08000025)" in pages[0]


def test_a_failed_build_says_so_and_can_be_tried_again(coventry, worker, monkeypatch):
    summit, client = coventry

    def broken(*, pack):  # type: ignore[no-untyped-def]
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("peerchallenge.packs.pdf.pack_pdf", broken)
    preparing = f"/summits/{summit.pk}/packs/{BIRMINGHAM}/preparing/?file=docx"
    assert client.get(f"/summits/{summit.pk}/packs/{BIRMINGHAM}-pro-forma.docx")["Location"] == preparing
    worker.run()
    failed = client.get(preparing).content.decode()
    assert "The pack could not be built" in failed and "There is a problem" in failed
    assert 'http-equiv="refresh"' not in failed and "progress.js" not in failed  # it stops refreshing
    assert client.get(preparing + "&format=json").json()["finished"] is True
    monkeypatch.undo()
    again = client.post(preparing)  # try again: enqueued afresh
    assert again.status_code == 302
    assert "Preparing the pro-forma for Birmingham" in client.get(preparing).content.decode()
    worker.run()
    assert client.get(preparing)["Location"] == f"/summits/{summit.pk}/packs/{BIRMINGHAM}-pro-forma.docx"
    from councils.models import Council

    target = services.pack_target(
        council=Council.objects.get(gss_code=BIRMINGHAM), summit=summit, include_questions=True
    )
    wait = services.pack_one_state(target=target)
    assert wait is None  # the finished build leaves nothing behind


def test_a_build_that_lost_its_worker_can_be_started_again(coventry, worker):
    """A worker killed mid-build leaves its page waiting: after two minutes the page offers to start the
    build again (a pack takes seconds), and that build completes."""
    import time

    from django.core.cache import cache

    from councils.models import Council

    summit, client = coventry
    target = services.pack_target(
        council=Council.objects.get(gss_code=BIRMINGHAM), summit=summit, include_questions=True
    )
    preparing = f"/summits/{summit.pk}/packs/{BIRMINGHAM}/preparing/?file=pdf"
    cache.set(target.wait_key, services.PackWait(state="building", since=time.time() - 30))
    assert "Start the build again" not in client.get(preparing).content.decode()  # still on its way
    lost = time.time() - services.OFFER_AGAIN_AFTER.total_seconds() - 1
    cache.set(target.wait_key, services.PackWait(state="building", since=lost))  # its worker died
    page = client.get(preparing).content.decode()
    assert "Start the build again" in page and "taking longer than usual" in page
    assert client.post(preparing).status_code == 302  # enqueued afresh
    assert services.pack_one_state(target=target).since > lost
    worker.run()
    assert client.get(preparing)["Location"] == f"/summits/{summit.pk}/packs/{BIRMINGHAM}.pdf"


def test_a_summits_packs_are_built_in_the_background_by_several_processes(settings, worker, monkeypatch):
    """The coordinator's "build every pack" task, on the real worker, with PACK_WORKERS=2: the task forks
    two builders (the data is committed, as in production), notes progress and writes the ZIP."""
    import io
    import zipfile

    from django.core.files.storage import default_storage

    from peerchallenge.packs.models import PackBuild
    from scorecard.demo import demo_values_seed
    from tests.pack_helpers import DUDLEY, SANDWELL

    demo_values_seed()
    summit = small_summit(councils=(BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL))
    settings.PACK_WORKERS = 2
    parent = __import__("os").getpid()
    monkeypatch.setattr(  # forked builders inherit this: each PDF says which process made it
        "peerchallenge.packs.pdf.pack_pdf",
        lambda *, pack: f"%PDF {pack.council.gss_code} {__import__('os').getpid()}".encode(),
    )
    build = services.pack_build_start(summit=summit)
    worker.run()
    build = PackBuild.objects.get(pk=build.pk)
    assert build.state == PackBuild.State.DONE and build.done == build.total == 4, build.message
    with default_storage.open(build.file_name, "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    pdfs = [archive.read(n).decode() for n in archive.namelist() if n.endswith(".pdf")]
    assert sorted(p.split()[1] for p in pdfs) == sorted((BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL))
    assert str(parent) not in {p.split()[2] for p in pdfs}  # built by the forked processes


def test_a_pack_outside_a_summit_is_built_by_the_worker_for_the_period_asked(coventry, worker):
    """The period of a pack on demand travels with its task (an older one, not the latest)."""
    from scorecard.models import Period

    _, client = coventry
    older = Period.objects.filter(values__isnull=False).distinct().order_by("-start_year")[1]
    url = f"/packs/{COVENTRY}/{older.label}.pdf"
    first = client.get(url)
    preparing = f"/packs/{COVENTRY}/{older.label}/preparing/?file=pdf"
    assert first.status_code == 302 and first["Location"] == preparing
    waiting = client.get(preparing).content.decode()
    assert "Preparing the pack for Coventry" in waiting and f"Outside a summit, {older.label}" in waiting
    worker.run()
    assert client.get(preparing)["Location"] == url
    pages = pdf_pages(b"".join(client.get(url).streaming_content))
    assert "Not for a summit (pack on demand)" in pages[0] and older.label in pages[0]
