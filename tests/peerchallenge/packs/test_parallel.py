"""A summit's packs built in forked processes (build_packs --workers 2): same files as one by one."""

import io

import pytest
from django.core.management import call_command

from tests.pack_helpers import BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL, small_summit

pytestmark = [pytest.mark.pdf, pytest.mark.django_db(transaction=True)]


def test_two_workers_build_every_pack_of_the_summit(settings, tmp_path, monkeypatch, demo):
    from peerchallenge.packs import services

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(
        "peerchallenge.packs.pdf.pack_pdf", lambda *, pack: f"%PDF {pack.council.gss_code}".encode()
    )
    summit = small_summit(councils=(BIRMINGHAM, COVENTRY, DUDLEY, SANDWELL))
    err = io.StringIO()
    call_command(
        "build_packs",
        "--summit",
        str(summit.pk),
        "--workers",
        "2",
        "--out",
        str(tmp_path / "out"),
        stderr=err,
    )
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(files) == 8 and all(
        p.startswith(("E08000025", "E08000026", "E08000027", "E08000028")) for p in files
    )
    assert (
        (tmp_path / "out" / next(f for f in files if f.endswith(".pdf")))
        .read_bytes()
        .startswith(b"%PDF E0800")
    )
    assert "4/4" in err.getvalue()
    # Built once: the same packs again come from the cache, in the summit's running order.
    again = services.summit_packs_build(summit=summit, workers=2)
    assert not any(f.built for f in again)
    assert [f.council.gss_code for f in again] == [
        c.gss_code for c in services.summit_pack_councils(summit=summit)
    ]
