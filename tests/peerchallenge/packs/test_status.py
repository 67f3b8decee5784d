"""The waiting page's status: JSON that says building, ready or failed, and never the file itself.

A script cannot read a redirect to a PDF (``fetch`` follows it and gets the file), so the status answers 200
with JSON in every state, whether asked at its own address or at the waiting page's ``?format=json``.
"""

import time

import pytest
from django.core.cache import cache
from django.test import Client

from councils.models import Council, Membership
from peerchallenge.packs import services
from tests.factories import MembershipFactory, UserFactory
from tests.pack_helpers import BIRMINGHAM, COVENTRY, small_summit

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7 the whole pack"


@pytest.fixture
def world(settings, tmp_path, monkeypatch):
    """Demo figures, a summit where Coventry challenges Birmingham, Coventry's DASS signed in; PDFs faked."""
    from scorecard.demo import demo_values_seed

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("peerchallenge.packs.pdf.pack_pdf", lambda *, pack: FAKE_PDF)
    demo_values_seed()
    summit = small_summit(councils=(BIRMINGHAM, COVENTRY))
    user = MembershipFactory(
        user=UserFactory(), role=Membership.Role.DASS, council=Council.objects.get(gss_code=COVENTRY)
    ).user
    client = Client()
    client.force_login(user)
    return summit, client


@pytest.fixture
def no_worker(monkeypatch):
    """Builds are enqueued but never run (the tests' immediate backend would build them at once)."""
    calls = []

    class Queue:
        def using(self, **kwargs):  # type: ignore[no-untyped-def]
            return self

        def enqueue(self, *args):  # type: ignore[no-untyped-def]
            calls.append(args)

    monkeypatch.setattr("peerchallenge.packs.tasks.pack_task", Queue())
    return calls


def _target(summit):  # type: ignore[no-untyped-def]
    return services.pack_target(
        council=Council.objects.get(gss_code=BIRMINGHAM), summit=summit, include_questions=True
    )


def _json(response) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    body = response.content
    assert not body.startswith(b"%PDF") and FAKE_PDF not in body
    return response.json()


def test_the_status_says_building_then_ready_and_never_sends_the_pack(world, no_worker):
    summit, client = world
    pdf = f"/summits/{summit.pk}/packs/{BIRMINGHAM}.pdf"
    status_url = f"/summits/{summit.pk}/packs/{BIRMINGHAM}/preparing/status.json?file=pdf"
    preparing = f"/summits/{summit.pk}/packs/{BIRMINGHAM}/preparing/?file=pdf"

    assert client.get(pdf)["Location"] == preparing
    page = client.get(preparing).content.decode()
    assert f'data-status-url="{status_url.replace("&", "&amp;")}"' in page
    building = _json(client.get(status_url))
    assert building["state"] == "building" and building["finished"] is False
    assert building["url"] == pdf and len(no_worker) == 1  # polling enqueues nothing more

    services.pack_files_get_or_build(council=Council.objects.get(gss_code=BIRMINGHAM), summit=summit)
    for url in (status_url, preparing + "&format=json"):  # its own address, and the old one
        ready = _json(client.get(url))
        assert ready == {
            "state": "ready",
            "finished": True,
            "url": pdf,
            "download": pdf,
            "message": "It is ready: your download has started.",
        }
    # Without JavaScript the page itself still sends the reader on to the file, and the file is the pack.
    assert client.get(preparing)["Location"] == pdf
    assert b"".join(client.get(pdf).streaming_content) == FAKE_PDF


def test_a_failed_build_is_reported_with_the_page_that_offers_a_retry(world, no_worker):
    summit, client = world
    docx_status = f"/summits/{summit.pk}/packs/{BIRMINGHAM}/preparing/status.json?file=docx"
    target = _target(summit)
    cache.set(target.wait_key, services.PackWait(state="failed", since=time.time()))
    failed = _json(client.get(docx_status))
    preparing = f"/summits/{summit.pk}/packs/{BIRMINGHAM}/preparing/?file=docx"
    assert failed["state"] == "failed" and failed["finished"] is True and failed["url"] == preparing
    assert failed["download"] == f"/summits/{summit.pk}/packs/{BIRMINGHAM}-pro-forma.docx"
    page = client.get(preparing).content.decode()
    assert "The pack could not be built" in page and 'method="post"' in page and "Try again" in page
    assert client.post(preparing).status_code == 302  # the retry (a POST) enqueues the build again
    assert len(no_worker) == 1 and _json(client.get(docx_status))["state"] == "building"


def test_the_status_of_a_pack_outside_a_summit(world):
    """Built at once by the tests' immediate task backend: the first poll already says ready."""
    _, client = world
    from scorecard.periods import periods_with_council_figures

    label = periods_with_council_figures()[0].label
    status = _json(client.get(f"/packs/{COVENTRY}/{label}/preparing/status.json?file=pdf"))
    assert status["state"] == "ready" and status["url"] == f"/packs/{COVENTRY}/{label}.pdf"


def test_the_status_is_as_private_as_the_pack(world):
    summit, _ = world
    london = MembershipFactory(
        user=UserFactory(), role=Membership.Role.DASS, council=Council.objects.get(gss_code="E09000002")
    ).user
    client = Client()
    client.force_login(london)
    assert client.get(f"/summits/{summit.pk}/packs/{BIRMINGHAM}/preparing/status.json").status_code == 404
    assert client.get(f"/packs/{BIRMINGHAM}/2019-20/preparing/status.json").status_code == 403
    assert Client().get(f"/packs/{BIRMINGHAM}/2019-20/preparing/status.json").status_code in (302, 401)
