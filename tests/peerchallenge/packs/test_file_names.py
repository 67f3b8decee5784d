"""File names carry the council's name after its code and before the period (letters, digits and hyphens
only), in downloads, the summit's ZIP and its members, and the command line's output."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from councils.models import Council, Membership, Region
from peerchallenge.packs import services
from tests.factories import MembershipFactory, UserFactory
from tests.pack_helpers import BIRMINGHAM, COVENTRY, WEST_MIDLANDS, small_summit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "name", "stem"),
    [
        ("E08000025", "Birmingham", "E08000025-birmingham-2023-24"),
        ("E06000023", "Bristol, City of", "E06000023-bristol-city-of-2023-24"),
        ("E08000013", "St. Helens", "E08000013-st-helens-2023-24"),
        ("E06000019", "Herefordshire, County of", "E06000019-herefordshire-county-of-2023-24"),
        ("W06000001", 'Ynys Môn / "Anglesey"\r\n', "W06000001-ynys-mon-anglesey-2023-24"),
    ],
)
def test_the_stem_is_code_name_period(code, name, stem):
    assert services.pack_file_stem(Council(gss_code=code, name=name), "2023-24") == stem


@pytest.fixture
def summit(settings, tmp_path, monkeypatch):
    from scorecard.demo import demo_values_seed

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("peerchallenge.packs.pdf.pack_pdf", lambda *, pack: b"%PDF-1.7 fake")
    demo_values_seed()
    return small_summit(councils=(BIRMINGHAM, COVENTRY), name="West Midlands summit, March 2099")


def test_downloads_the_zip_and_its_members_are_named_by_code_name_and_period(summit):
    from peerchallenge.packs.models import PackBuild
    from peerchallenge.selectors import summit_period

    period = summit_period(summit=summit).label
    user = MembershipFactory(
        user=UserFactory(),
        role=Membership.Role.COORDINATOR,
        region=Region.objects.get(gss_code=WEST_MIDLANDS),
    ).user
    client = Client()
    client.force_login(user)
    pdf = client.get(f"/summits/{summit.pk}/packs/{BIRMINGHAM}.pdf")
    assert pdf["Content-Disposition"] == f'attachment; filename="E08000025-birmingham-{period}.pdf"'
    docx = client.get(f"/summits/{summit.pk}/packs/{COVENTRY}-pro-forma.docx")
    assert docx["Content-Disposition"] == f'attachment; filename="E08000026-coventry-{period}-pro-forma.docx"'

    build = services.pack_build_start(summit=summit)
    services.pack_build_run(build_id=build.pk)
    build = PackBuild.objects.get(pk=build.pk)
    with default_storage.open(build.file_name, "rb") as handle:
        members = sorted(zipfile.ZipFile(io.BytesIO(handle.read())).namelist())
    assert members == [
        f"E08000025-birmingham-{period}-pro-forma.docx",
        f"E08000025-birmingham-{period}.pdf",
        f"E08000026-coventry-{period}-pro-forma.docx",
        f"E08000026-coventry-{period}.pdf",
    ]
    archive = client.get(f"/summits/{summit.pk}/packs/builds/{build.pk}.zip")
    assert archive["Content-Disposition"] == (
        f'attachment; filename="summit-{summit.pk}-west-midlands-summit-march-2099-{period}-packs.zip"'
    )
