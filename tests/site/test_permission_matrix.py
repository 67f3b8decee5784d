"""The permission matrix: every URL pattern the resolver knows × every role, reads and writes.

``EXPECTATIONS`` lists every named URL pattern with who may GET it and what a POST does. The first test
walks the URL resolver, so a new view that is not in the table fails with a message saying to add it:
no view can escape the matrix. Roles include another region's SLI lead and coordinator and another
council's DASS. The write cases (uploads and confirms) check region-scoped writes end to end.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from councils.models import Council, Membership, Region
from peerchallenge.models import AvoidPair, PackBuild, Summit
from peerchallenge.packs.services import pack_files_get_or_build
from peerchallenge.services import summit_pair, summit_transition
from peerchallenge.themes.services import (
    ThemeInput,
    finding_save,
    theme_create,
    work_item_create,
    work_item_from_theme,
    work_programme_get_or_create,
    work_programme_publish,
)
from scorecard.imports.services import can_confirm
from scorecard.models import Framework, ImportRecord, Measure, Value
from tests.factories import MembershipFactory, UserFactory, make_summit
from tests.selfassessment_helpers import drafted, make_cycle, submitted
from tests.site.url_patterns import url_pattern_names
from tests.worlds import once_per_module, seeded_once_per_module

pytestmark = pytest.mark.django_db

BIRMINGHAM = "E08000025"
WEST_MIDLANDS = "E12000005"
LONDON = "E12000007"
BARKING = "E09000002"
COVENTRY = "E08000026"
DUDLEY = "E08000027"
SANDWELL = "E08000028"

ANONYMOUS = "anonymous"
ROLES = [
    ANONYMOUS,
    "admin",
    "wm_lead",
    "wm_coordinator",
    "dass",  # Birmingham (West Midlands)
    "delegate",  # Birmingham
    "other_dass",  # Coventry (West Midlands)
    "london_lead",
    "london_coordinator",
    "no_role",
]
SIGNED_IN = [role for role in ROLES if role != ANONYMOUS]
IMPORTERS = ["admin", "wm_lead", "london_lead"]  # councils.import_data: admins and any SLI lead


def everyone_signed_in(status: int = 200, anonymous: int = 302) -> dict[str, int]:
    return {ANONYMOUS: anonymous, **dict.fromkeys(SIGNED_IN, status)}


def only(allowed: list[str], status: int = 200, denied: int = 403, anonymous: int = 302) -> dict[str, int]:
    return {
        ANONYMOUS: anonymous,
        **{role: status if role in allowed else denied for role in SIGNED_IN},
    }


@dataclass
class Expect:
    """How one URL pattern answers each role: ``get`` (role → status) and ``post`` (role → status).

    ``post=None`` means the pattern accepts POSTs that write; its write cases are tested below (the
    name must then be in ``WRITE_CASES``).
    """

    path: Callable[[dict], str]
    get: dict[str, int]
    post: dict[str, int | tuple[int, ...]] | None = field(default=None)


def read_only(path: Callable[[dict], str], get: dict[str, int], anonymous_post: int = 302) -> Expect:
    """A read-only page: POST is 405 for every signed-in role (anonymous users are sent to sign in);
    a role that may not read it may get 403 instead (whichever check the view makes first)."""
    return Expect(
        path,
        get,
        {
            ANONYMOUS: anonymous_post,
            **{role: (403, 405) if get[role] == 403 else 405 for role in SIGNED_IN},
        },
    )


# Who may read what in the new areas.
WM_ROLES = ["admin", "wm_lead", "wm_coordinator", "dass", "delegate", "other_dass"]
SA_READERS = WM_ROLES  # Birmingham's submitted self-assessment: Coventry reads it as its challenger
SUMMIT_EDITORS = ["admin", "wm_coordinator", "london_coordinator"]  # a coordinator of some region
LESSON_READERS = [
    "admin",
    "wm_lead",
    "wm_coordinator",
    "dass",
    "delegate",
    "other_dass",
    "london_lead",
    "london_coordinator",
]
SUMMIT_VIEW = only(WM_ROLES, denied=404)  # the published summit: other regions learn nothing (404)


def SUMMIT_WRITE(status: int) -> dict[str, int]:
    """A POST to change the published summit: admin and the region's coordinator get ``status``; the
    other roles that may see it 403; the rest 404."""
    return {
        **SUMMIT_VIEW,
        **dict.fromkeys(["wm_lead", "dass", "delegate", "other_dass"], 403),
        "admin": status,
        "wm_coordinator": status,
    }


SUMMIT_GET_405 = everyone_signed_in(405)


def PLAN_WRITE(status: int) -> dict[str, int]:
    """A POST to the West Midlands work programme: admin, its SLI lead and coordinator get ``status``; its
    DASSs and delegates 403; other regions 404."""
    return {**SUMMIT_WRITE(status), "wm_lead": status}


def FINDING_WRITE(status: int) -> dict[str, int]:
    """Findings of the published summit: admin and the coordinator get ``status``; the SLI lead reads but
    may not write (403); councils and other regions 404 (councils read their own on the findings page)."""
    return {**only(["admin", "wm_coordinator"], status=status, denied=404), "wm_lead": 403}


# Every named URL pattern. Add new views here (the resolver test fails until you do).
EXPECTATIONS: dict[str, Expect] = {
    "home": read_only(lambda o: "/", everyone_signed_in()),
    "healthz": Expect(lambda o: "/healthz", dict.fromkeys(ROLES, 200), dict.fromkeys(ROLES, 405)),
    "login": Expect(
        lambda o: "/accounts/login/",
        {ANONYMOUS: 200, **dict.fromkeys(SIGNED_IN, 302)},  # signed-in users are sent on
        None,
    ),
    "logout": Expect(lambda o: "/accounts/logout/", everyone_signed_in(405), None),
    "admin:*": Expect(lambda o: "/admin/", only(["admin"], denied=302), None),
    "api:council-scorecard": read_only(
        lambda o: f"/api/councils/{BIRMINGHAM}/scorecard/", everyone_signed_in(anonymous=401), 401
    ),
    # CQC's published outcomes are public facts about a council: everyone signed in reads them; admins and
    # the council's region's SLI lead record them (an empty POST: the form with its errors, nothing written).
    "api:council-assurance": read_only(
        lambda o: f"/api/councils/{BIRMINGHAM}/assurance/", everyone_signed_in(anonymous=401), 401
    ),
    "scorecard:cqc-council": read_only(lambda o: f"/councils/{BIRMINGHAM}/cqc/", everyone_signed_in()),
    "scorecard:cqc-council-new": Expect(
        lambda o: f"/councils/{BIRMINGHAM}/cqc/new/",
        only(["admin", "wm_lead"]),
        only(["admin", "wm_lead"], status=400),
    ),
    "scorecard:cqc-region": read_only(lambda o: f"/regions/{WEST_MIDLANDS}/cqc/", everyone_signed_in()),
    "api:measure-list": read_only(lambda o: "/api/measures/", everyone_signed_in(anonymous=401), 401),
    "api:measure-values": read_only(
        lambda o: f"/api/measures/{o['measure'].key}/values/", everyone_signed_in(anonymous=401), 401
    ),
    "scorecard:import-list": read_only(lambda o: "/imports/", only(IMPORTERS)),
    "scorecard:import-upload": Expect(lambda o: "/imports/new/", only(IMPORTERS), None),
    "scorecard:import-template": read_only(lambda o: "/imports/template.xlsx", only(IMPORTERS)),
    "scorecard:import-detail": read_only(lambda o: f"/imports/{o['record'].pk}/", only(IMPORTERS)),
    "scorecard:import-confirm": Expect(
        lambda o: f"/imports/{o['record'].pk}/confirm/", everyone_signed_in(405), None
    ),
    # Which column is which, for a file of another layout: the matrix's record is not one, so it is shown.
    "scorecard:import-columns": Expect(
        lambda o: f"/imports/{o['record'].pk}/columns/",
        only(IMPORTERS, status=302),
        only(IMPORTERS, status=302),
    ),
    # Start again a preview whose worker stopped: the matrix's record is a failed one (a message, no task).
    "scorecard:import-check-again": Expect(
        lambda o: f"/imports/{o['record'].pk}/check-again/",
        everyone_signed_in(405),
        only(IMPORTERS, status=302),
    ),
    # Say what a preview's unknown measure codes are: the matrix's record has none, so it is shown (no write).
    "scorecard:import-measures": Expect(
        lambda o: f"/imports/{o['record'].pk}/measures/",
        everyone_signed_in(405),
        only(IMPORTERS, status=302),
    ),
    "scorecard:measure-list": read_only(lambda o: "/measures/", everyone_signed_in()),
    "scorecard:measure-detail": read_only(lambda o: f"/measures/{o['measure'].key}/", everyone_signed_in()),
    "scorecard:council-scorecard": read_only(
        lambda o: f"/councils/{BIRMINGHAM}/scorecard/", everyone_signed_in()
    ),
    "scorecard:region-scorecard": read_only(
        lambda o: f"/regions/{WEST_MIDLANDS}/scorecard/", everyone_signed_in()
    ),
    "scorecard:compare": read_only(lambda o: "/compare/", everyone_signed_in()),
    "councils:council-list": read_only(lambda o: "/councils/", everyone_signed_in()),
    "councils:council-detail": read_only(lambda o: f"/councils/{BIRMINGHAM}/", everyone_signed_in()),
    "councils:region-detail": read_only(lambda o: f"/regions/{WEST_MIDLANDS}/", everyone_signed_in()),
    "councils:region-people": read_only(
        lambda o: f"/regions/{WEST_MIDLANDS}/people/", only(["admin", "wm_lead", "wm_coordinator"])
    ),
    # Imports: progress and change list answer exactly who may read the import record.
    "scorecard:import-status": read_only(lambda o: f"/imports/{o['record'].pk}/status.json", only(IMPORTERS)),
    "scorecard:import-changes": read_only(
        lambda o: f"/imports/{o['record'].pk}/changes.csv", only(IMPORTERS)
    ),
    # Self-assessments. Birmingham's is submitted: its council, the region's lead and
    # coordinator, admins, and Coventry (its challenger in the published summit). Nobody else.
    "api:council-self-assessment": read_only(
        lambda o: f"/api/councils/{BIRMINGHAM}/self-assessment/", only(SA_READERS, anonymous=401), 401
    ),
    "selfassessment:cycles": read_only(
        lambda o: f"/regions/{WEST_MIDLANDS}/self-assessment/", only(WM_ROLES)
    ),
    "selfassessment:cycle": read_only(
        lambda o: f"/regions/{WEST_MIDLANDS}/self-assessment/{o['cycle'].slug}/", only(WM_ROLES)
    ),
    "selfassessment:cycle-new": Expect(
        lambda o: f"/regions/{WEST_MIDLANDS}/self-assessment/new/",
        only(["admin", "wm_coordinator"]),
        only(["admin", "wm_coordinator"]),  # the form comes back with its errors; nothing is written
    ),
    "selfassessment:cycle-close": Expect(
        lambda o: f"/regions/{WEST_MIDLANDS}/self-assessment/{o['cycle'].slug}/close/",
        everyone_signed_in(405),
        only(["admin", "wm_coordinator"], status=302),
    ),
    "selfassessment:latest": read_only(
        lambda o: f"/councils/{BIRMINGHAM}/self-assessment/", everyone_signed_in(302)
    ),
    "selfassessment:detail": read_only(
        lambda o: f"/councils/{BIRMINGHAM}/self-assessment/{o['cycle'].slug}/", only(SA_READERS)
    ),
    "selfassessment:docx": read_only(
        lambda o: f"/councils/{BIRMINGHAM}/self-assessment/{o['cycle'].slug}/export.docx", only(SA_READERS)
    ),
    "selfassessment:history": read_only(
        lambda o: f"/councils/{BIRMINGHAM}/self-assessment/{o['cycle'].slug}/history/",
        only(["admin", "wm_coordinator", "dass", "delegate"]),
    ),
    "selfassessment:edit": Expect(
        # Submitted, so read-only: readers are sent to the read-only page, everyone else refused.
        lambda o: f"/councils/{BIRMINGHAM}/self-assessment/{o['cycle'].slug}/edit/",
        only(SA_READERS, status=302),
        only(SA_READERS, status=302),
    ),
    "selfassessment:reopen": Expect(
        lambda o: f"/councils/{BIRMINGHAM}/self-assessment/{o['cycle'].slug}/reopen/",
        everyone_signed_in(405),
        only(["admin", "wm_coordinator"], status=400),  # no reason given: the form with its error
    ),
    "selfassessment:check": Expect(
        # Submitted, so there is nothing to check: readers are sent to the read-only page.
        lambda o: f"/councils/{BIRMINGHAM}/self-assessment/{o['cycle'].slug}/check/",
        only(SA_READERS, status=302),
        only(SA_READERS, status=302),
    ),
    "selfassessment:reopen-request": Expect(
        lambda o: f"/councils/{BIRMINGHAM}/self-assessment/{o['cycle'].slug}/reopen-request/",
        everyone_signed_in(405),
        only(["admin", "dass", "delegate"], status=400),  # no reason given: the page with its error
    ),
    # Summits: the region's lead and coordinator and admins; participants once published;
    # another region's users see nothing (404). Only the coordinator and admins change anything.
    "peerchallenge:summit-list": read_only(lambda o: "/summits/", everyone_signed_in()),
    "peerchallenge:summit-create": Expect(
        lambda o: "/summits/new/", only(SUMMIT_EDITORS), only(SUMMIT_EDITORS)
    ),
    "peerchallenge:summit-detail": read_only(lambda o: f"/summits/{o['summit'].pk}/", SUMMIT_VIEW),
    "peerchallenge:summit-timetable": read_only(
        lambda o: f"/summits/{o['summit'].pk}/timetable/", SUMMIT_VIEW
    ),
    "peerchallenge:summit-timetable-csv": read_only(
        lambda o: f"/summits/{o['summit'].pk}/timetable.csv", SUMMIT_VIEW
    ),
    "peerchallenge:summit-council-ics": read_only(
        lambda o: f"/summits/{o['summit'].pk}/councils/{BIRMINGHAM}.ics", SUMMIT_VIEW
    ),
    "peerchallenge:summit-edit": Expect(
        lambda o: f"/summits/{o['summit'].pk}/edit/", SUMMIT_WRITE(302), SUMMIT_WRITE(302)
    ),
    "peerchallenge:summit-pair": Expect(
        lambda o: f"/summits/{o['summit'].pk}/pair/", SUMMIT_GET_405, SUMMIT_WRITE(302)
    ),
    "peerchallenge:summit-swap": Expect(
        lambda o: f"/summits/{o['summit'].pk}/swap/", SUMMIT_GET_405, SUMMIT_WRITE(400)
    ),
    "peerchallenge:summit-state": Expect(
        lambda o: f"/summits/{o['summit'].pk}/state/", SUMMIT_GET_405, SUMMIT_WRITE(302)
    ),
    # Holding, closing and reopening are asked on their own page: the published summit cannot be closed,
    # so a POST is refused with the page (400) for those who may change it.
    "peerchallenge:summit-state-change": Expect(
        lambda o: f"/summits/{o['summit'].pk}/state/closed/", SUMMIT_WRITE(200), SUMMIT_WRITE(400)
    ),
    "peerchallenge:avoid-add": Expect(
        lambda o: f"/summits/{o['summit'].pk}/avoid/", SUMMIT_GET_405, SUMMIT_WRITE(400)
    ),
    "peerchallenge:avoid-delete": Expect(
        lambda o: f"/summits/{o['summit'].pk}/avoid/{o['avoid'].pk}/delete/",
        SUMMIT_GET_405,
        SUMMIT_WRITE(302),
    ),
    # Challenge packs: Birmingham's pack in the published summit. Its own council, the region's
    # lead and coordinator, admins and Coventry (its challenger) download it; other regions learn nothing.
    "peerchallenge:summit-packs": read_only(lambda o: f"/summits/{o['summit'].pk}/packs/", SUMMIT_VIEW),
    "peerchallenge:pack-pdf": read_only(
        lambda o: f"/summits/{o['summit'].pk}/packs/{BIRMINGHAM}.pdf", SUMMIT_VIEW
    ),
    "peerchallenge:pack-docx": read_only(
        lambda o: f"/summits/{o['summit'].pk}/packs/{BIRMINGHAM}-pro-forma.docx", SUMMIT_VIEW
    ),
    # Waiting for a pack built in the background: the tests' tasks run at once, so a reader is sent on to
    # the file (302), and a POST (try again) too.
    "peerchallenge:pack-preparing": Expect(
        lambda o: f"/summits/{o['summit'].pk}/packs/{BIRMINGHAM}/preparing/",
        only(WM_ROLES, status=302, denied=404),
        only(WM_ROLES, status=302, denied=404),
    ),
    # Its status for the waiting page's script: JSON to the pack's readers, never a redirect.
    "peerchallenge:pack-status": read_only(
        lambda o: f"/summits/{o['summit'].pk}/packs/{BIRMINGHAM}/preparing/status.json", SUMMIT_VIEW
    ),
    # Packs outside a summit: the page lists the councils each user may choose (everyone signed in sees it);
    # Birmingham's pack on demand goes to the same readers as in the summit (Coventry challenges it in a
    # published summit), and other regions get 403 (councils are public; their packs are not).
    "peerchallenge:packs-on-demand": read_only(lambda o: "/packs/", everyone_signed_in()),
    "peerchallenge:council-pack-pdf": read_only(
        lambda o: f"/packs/{BIRMINGHAM}/{o['cycle'].period.label}.pdf", only(WM_ROLES)
    ),
    "peerchallenge:council-pack-docx": read_only(
        lambda o: f"/packs/{BIRMINGHAM}/{o['cycle'].period.label}-pro-forma.docx", only(WM_ROLES)
    ),
    "peerchallenge:council-pack-preparing": Expect(
        lambda o: f"/packs/{BIRMINGHAM}/{o['cycle'].period.label}/preparing/",
        only(WM_ROLES, status=302),
        only(WM_ROLES, status=302),
    ),
    "peerchallenge:council-pack-status": read_only(
        lambda o: f"/packs/{BIRMINGHAM}/{o['cycle'].period.label}/preparing/status.json", only(WM_ROLES)
    ),
    # Its question set: Coventry (the challenger), the coordinator and admins until the summit is held.
    # POST {"anything": "x"} is an unknown action (400) for those who may edit: Coventry and admins.
    "peerchallenge:question-set": Expect(
        lambda o: f"/summits/{o['summit'].pk}/questions/{BIRMINGHAM}/",
        {**SUMMIT_VIEW, **dict.fromkeys(["wm_lead", "dass", "delegate"], 403)},
        {
            **SUMMIT_VIEW,
            **dict.fromkeys(["wm_lead", "wm_coordinator", "dass", "delegate"], 403),
            "admin": 400,
            "other_dass": 400,
        },
    ),
    # The cycle's question bank: the region's coordinator and admins (a POST without a question is a 400).
    "peerchallenge:question-bank": Expect(
        lambda o: f"/summits/{o['summit'].pk}/question-bank/", SUMMIT_WRITE(200), SUMMIT_WRITE(400)
    ),
    # Building every pack (ZIP): the region's coordinator and admins.
    "peerchallenge:pack-build": Expect(
        lambda o: f"/summits/{o['summit'].pk}/packs/build/", SUMMIT_GET_405, SUMMIT_WRITE(302)
    ),
    "peerchallenge:pack-build-status": read_only(
        lambda o: f"/summits/{o['summit'].pk}/packs/builds/{o['pack_build'].pk}/status.json",
        SUMMIT_WRITE(200),
    ),
    "peerchallenge:pack-build-zip": read_only(
        lambda o: f"/summits/{o['summit'].pk}/packs/builds/{o['pack_build'].pk}.zip", SUMMIT_WRITE(200)
    ),
    "peerchallenge:lesson-list": read_only(lambda o: "/lessons/", only(LESSON_READERS)),
    "peerchallenge:lesson-create": Expect(
        lambda o: "/lessons/new/", only(SUMMIT_EDITORS), only(SUMMIT_EDITORS)
    ),
    # Plenary themes, work programme and follow-up. The region's coordinator (and loggers they
    # name, tests/peerchallenge/themes/test_access.py) logs and edits themes; the SLI lead reads everything and edits the
    # work programme; the region's DASSs and delegates read what is published; other regions get 404.
    "summits-api:summit-list": read_only(lambda o: "/api/summits/", everyone_signed_in(anonymous=401), 401),
    "summits-api:summit-themes": Expect(
        lambda o: f"/api/summits/{o['summit'].pk}/themes/",
        only(WM_ROLES, denied=404, anonymous=401),
        {**SUMMIT_WRITE(400), ANONYMOUS: 401},  # a form-encoded body is not a JSON theme: 400
    ),
    "themes:plenary": Expect(
        lambda o: f"/summits/{o['summit'].pk}/plenary/", SUMMIT_WRITE(200), SUMMIT_WRITE(400)
    ),
    "themes:plenary-many": Expect(
        lambda o: f"/summits/{o['summit'].pk}/plenary/several/", SUMMIT_GET_405, SUMMIT_WRITE(400)
    ),
    "themes:theme-list": read_only(lambda o: f"/summits/{o['summit'].pk}/themes/", SUMMIT_VIEW),
    "themes:themes-bulk": Expect(
        lambda o: f"/summits/{o['summit'].pk}/themes/ticked/", SUMMIT_GET_405, PLAN_WRITE(400)
    ),
    "themes:themes-publish": Expect(
        lambda o: f"/summits/{o['summit'].pk}/themes/publish/", SUMMIT_GET_405, SUMMIT_WRITE(302)
    ),
    "themes:theme-detail": Expect(
        lambda o: f"/summits/{o['summit'].pk}/themes/{o['theme'].pk}/", SUMMIT_VIEW, SUMMIT_WRITE(400)
    ),
    "themes:theme-merge": Expect(
        lambda o: f"/summits/{o['summit'].pk}/themes/{o['theme'].pk}/merge/",
        SUMMIT_GET_405,
        SUMMIT_WRITE(400),
    ),
    "themes:theme-unmerge": Expect(
        lambda o: f"/summits/{o['summit'].pk}/themes/{o['theme'].pk}/unmerge/",
        SUMMIT_GET_405,
        SUMMIT_WRITE(302),  # not merged: a message and back to the theme
    ),
    "themes:theme-split": Expect(
        lambda o: f"/summits/{o['summit'].pk}/themes/{o['theme'].pk}/split/",
        SUMMIT_GET_405,
        SUMMIT_WRITE(400),
    ),
    "themes:theme-link": Expect(
        lambda o: f"/summits/{o['summit'].pk}/themes/{o['theme'].pk}/link/",
        SUMMIT_GET_405,
        SUMMIT_WRITE(302),  # no choice: the link is removed
    ),
    "themes:theme-plan": Expect(
        lambda o: f"/summits/{o['summit'].pk}/themes/{o['theme'].pk}/plan/", SUMMIT_GET_405, PLAN_WRITE(302)
    ),
    "themes:logger-add": Expect(
        lambda o: f"/summits/{o['summit'].pk}/loggers/", SUMMIT_GET_405, SUMMIT_WRITE(302)
    ),
    "themes:logger-remove": Expect(
        lambda o: f"/summits/{o['summit'].pk}/loggers/{o['users']['dass'].pk}/remove/",
        SUMMIT_GET_405,
        SUMMIT_WRITE(302),
    ),
    "themes:findings": read_only(lambda o: f"/summits/{o['summit'].pk}/findings/", SUMMIT_VIEW),
    "themes:finding-edit": Expect(
        lambda o: f"/summits/{o['summit'].pk}/findings/{BIRMINGHAM}/", FINDING_WRITE(200), FINDING_WRITE(302)
    ),
    "themes:recommendation-follow-up": Expect(
        lambda o: f"/summits/{o['summit'].pk}/recommendations/{o['recommendation'].pk}/follow-up/",
        SUMMIT_GET_405,
        FINDING_WRITE(302),
    ),
    "themes:region-themes": read_only(lambda o: f"/regions/{WEST_MIDLANDS}/themes/", SUMMIT_VIEW),
    "themes:work-programme-latest": read_only(
        lambda o: f"/regions/{WEST_MIDLANDS}/work-programme/", only(WM_ROLES, status=302, denied=404)
    ),
    "themes:work-programme": Expect(
        lambda o: f"/regions/{WEST_MIDLANDS}/work-programme/{o['programme'].year}/",
        SUMMIT_VIEW,
        PLAN_WRITE(400),
    ),
    "themes:work-programme-publish": Expect(
        lambda o: f"/regions/{WEST_MIDLANDS}/work-programme/{o['programme'].year}/publish/",
        SUMMIT_GET_405,
        PLAN_WRITE(302),
    ),
    "themes:work-programme-export": read_only(
        lambda o: f"/regions/{WEST_MIDLANDS}/work-programme/{o['programme'].year}/export.xlsx", SUMMIT_VIEW
    ),
    "themes:work-programme-docx": read_only(
        lambda o: f"/regions/{WEST_MIDLANDS}/work-programme/{o['programme'].year}/summary.docx", SUMMIT_VIEW
    ),
    "themes:work-item": Expect(
        lambda o: f"/regions/{WEST_MIDLANDS}/work-programme/{o['programme'].year}/items/{o['item'].pk}/",
        SUMMIT_VIEW,
        PLAN_WRITE(400),
    ),
    "themes:work-item-update": Expect(
        lambda o: (
            f"/regions/{WEST_MIDLANDS}/work-programme/{o['programme'].year}/items/{o['item'].pk}/update/"
        ),
        SUMMIT_GET_405,
        PLAN_WRITE(400),  # neither text nor a new status: the form with its error
    ),
}
# More objects behind the same patterns (GET only): a draft self-assessment (Coventry's: its council and
# admins only, not its challenger Birmingham nor the region's lead or coordinator) and a draft summit
# (the region's lead and coordinator and admins; participants see nothing until it is published).
DRAFT_SA = ["admin", "other_dass"]
DRAFT_SUMMIT = only(["admin", "wm_lead", "wm_coordinator"], denied=404)
VARIANTS: dict[str, tuple[Callable[[dict], str], dict[str, int]]] = {
    "api:council-self-assessment (draft)": (
        lambda o: f"/api/councils/{COVENTRY}/self-assessment/",
        only(DRAFT_SA, anonymous=401),
    ),
    "selfassessment:detail (draft)": (
        lambda o: f"/councils/{COVENTRY}/self-assessment/{o['cycle'].slug}/",
        only(DRAFT_SA),
    ),
    "selfassessment:docx (draft)": (
        lambda o: f"/councils/{COVENTRY}/self-assessment/{o['cycle'].slug}/export.docx",
        only(DRAFT_SA),
    ),
    "selfassessment:history (draft)": (
        lambda o: f"/councils/{COVENTRY}/self-assessment/{o['cycle'].slug}/history/",
        only(DRAFT_SA),
    ),
    "selfassessment:edit (draft)": (
        # Its council edits; an admin reads it (sent to the read-only page); nobody else.
        lambda o: f"/councils/{COVENTRY}/self-assessment/{o['cycle'].slug}/edit/",
        {**only(["other_dass"]), "admin": 302},
    ),
    "peerchallenge:summit-detail (draft)": (lambda o: f"/summits/{o['draft_summit'].pk}/", DRAFT_SUMMIT),
    "peerchallenge:summit-timetable (draft)": (
        lambda o: f"/summits/{o['draft_summit'].pk}/timetable/",
        DRAFT_SUMMIT,
    ),
    "peerchallenge:summit-timetable-csv (draft)": (
        lambda o: f"/summits/{o['draft_summit'].pk}/timetable.csv",
        DRAFT_SUMMIT,
    ),
    "themes:theme-detail (not published)": (
        lambda o: f"/summits/{o['summit'].pk}/themes/{o['draft_theme'].pk}/",
        DRAFT_SUMMIT,
    ),
    "themes:work-programme (not published)": (
        lambda o: (
            f"/regions/{WEST_MIDLANDS}/work-programme/{o['draft_programme'].year}/items/{o['draft_item'].pk}/"
        ),
        DRAFT_SUMMIT,
    ),
    "themes:work-programme (London)": (
        lambda o: f"/regions/{LONDON}/work-programme/2026/",
        only(["admin", "london_lead", "london_coordinator"], denied=404),
    ),
    "peerchallenge:summit-council-ics (draft)": (
        lambda o: f"/summits/{o['draft_summit'].pk}/councils/{BIRMINGHAM}.ics",
        DRAFT_SUMMIT,
    ),
    # Nothing of a draft summit beyond its region's coordinator and lead and admins: not its themes (even one
    # published before that rule), not its findings, not through the API.
    "themes:theme-list (draft summit)": (lambda o: f"/summits/{o['draft_summit'].pk}/themes/", DRAFT_SUMMIT),
    "themes:theme-detail (draft summit)": (
        lambda o: f"/summits/{o['draft_summit'].pk}/themes/{o['draft_summit_theme'].pk}/",
        DRAFT_SUMMIT,
    ),
    "themes:findings (draft summit)": (lambda o: f"/summits/{o['draft_summit'].pk}/findings/", DRAFT_SUMMIT),
    "themes:plenary (draft summit)": (
        lambda o: f"/summits/{o['draft_summit'].pk}/plenary/",
        {**DRAFT_SUMMIT, "wm_lead": 403},
    ),
    "summits-api:summit-themes (draft summit)": (
        lambda o: f"/api/summits/{o['draft_summit'].pk}/themes/",
        only(["admin", "wm_lead", "wm_coordinator"], denied=404, anonymous=401),
    ),
}
# JSON routes that accept a POST (their writes are tested in tests/peerchallenge/themes/test_themes.py and tests/peerchallenge/themes/test_access.py).
API_WRITE_ROUTES = {"summits-api:summit-themes"}
# Patterns whose POSTs write, and the test that checks each role's writes.
WRITE_CASES = {
    "login": "test_sign_in_throttling (tests/site/test_security.py) and tests/site/test_access.py",
    "logout": "test_logout_is_post_only_and_ends_the_session",
    "admin:*": "Django admin: staff only (GET matrix); sign-in throttled (tests/site/test_security.py)",
    "scorecard:import-upload": "test_upload_writes_are_region_scoped",
    "scorecard:import-confirm": "test_confirm_writes_are_region_scoped",
}


def test_every_url_pattern_is_in_the_permission_matrix():
    patterns = url_pattern_names()
    missing = sorted(set(patterns) - set(EXPECTATIONS))
    assert not missing, (
        "These URL patterns are not in the permission matrix: "
        + ", ".join(f"{name} ({patterns[name]})" for name in missing)
        + ". Add each to EXPECTATIONS in tests/site/test_permission_matrix.py, saying which roles may GET "
        "it and what a POST does (and, if it writes, add its write cases to WRITE_CASES)."
    )
    stale = sorted(set(EXPECTATIONS) - set(patterns))
    assert not stale, f"EXPECTATIONS lists URL patterns that no longer exist: {stale}"
    writers = {name for name, expect in EXPECTATIONS.items() if expect.post is None}
    assert writers == set(WRITE_CASES), "every pattern that accepts writes needs its write cases"


# Fixtures: the people and objects of the matrix --------------------------------------------------------


@pytest.fixture(scope="module")
def world_once_per_module(django_db_setup, django_db_blocker):
    yield from seeded_once_per_module(django_db_blocker, world_seed)


@pytest.fixture
def world(request, db, world_once_per_module):
    """Users in every role and an object behind every URL, seeded once for the module's tests."""
    return once_per_module(request, "world_once_per_module")


def world_seed() -> dict:
    west_midlands = Region.objects.get(gss_code=WEST_MIDLANDS)
    london = Region.objects.get(gss_code=LONDON)
    # Every English council is shipped; make sure Barking and Dagenham is London's (another region).
    barking, _ = Council.objects.update_or_create(
        gss_code=BARKING,
        defaults={"name": "Barking and Dagenham", "slug": "barking-and-dagenham", "region": london},
    )
    birmingham = Council.objects.get(gss_code=BIRMINGHAM)
    coventry = Council.objects.get(gss_code="E08000026")
    users = {
        "admin": UserFactory(username="m.admin", is_staff=True, is_superuser=True),
        "no_role": UserFactory(username="m.norole"),
    }
    for role, membership_role, scope in [
        ("wm_lead", Membership.Role.SLI_LEAD, {"region": west_midlands}),
        ("wm_coordinator", Membership.Role.COORDINATOR, {"region": west_midlands}),
        ("london_lead", Membership.Role.SLI_LEAD, {"region": london}),
        ("london_coordinator", Membership.Role.COORDINATOR, {"region": london}),
        ("dass", Membership.Role.DASS, {"council": birmingham}),
        ("delegate", Membership.Role.DELEGATE, {"council": birmingham}),
        ("other_dass", Membership.Role.DASS, {"council": coventry}),
    ]:
        users[role] = MembershipFactory(
            user=UserFactory(username=f"m.{role}"), role=membership_role, **scope
        ).user
    wm_measure = Measure.objects.create(
        key="local-wm-rev",
        code="WM-REV",
        framework=Framework.LOCAL,
        title="Reviews completed on time",
        unit="percent",
        polarity="higher",
        series="local-wm-rev",
        source="local",
        owner_region=west_midlands,
    )
    london_measure = Measure.objects.create(
        key="local-ldn-1",
        code="LDN-1",
        framework=Framework.LOCAL,
        title="London measure",
        unit="percent",
        polarity="higher",
        series="local-ldn-1",
        source="local",
        owner_region=london,
    )
    record = ImportRecord.objects.create(
        kind=ImportRecord.Kind.LOCAL, status=ImportRecord.Status.FAILED, file_name="old.csv"
    )
    # Self-assessments: Birmingham's submitted, Coventry's a draft, in the region's cycle.
    cycle = make_cycle()
    submitted(cycle=cycle, council=birmingham)
    drafted(cycle=cycle, council=coventry)
    # Summits: a published West Midlands summit pairing Birmingham and Coventry (each challenges
    # the other, so Coventry's DASS may read Birmingham's submitted self-assessment), and a draft one.
    summit = make_summit(west_midlands, councils=[birmingham, coventry], rooms=2, cycle=cycle)
    summit_pair(summit=summit)
    summit_transition(summit=summit, to=Summit.State.PUBLISHED)
    dudley, sandwell = Council.objects.get(gss_code=DUDLEY), Council.objects.get(gss_code=SANDWELL)
    avoid = AvoidPair.objects.create(
        summit=summit, council_a=dudley, council_b=sandwell, reason="Shared DASS"
    )
    draft_summit = make_summit(
        west_midlands, councils=[birmingham, coventry], rooms=2, cycle=cycle, name="Autumn summit"
    )
    summit_pair(summit=draft_summit)
    draft_summit_theme = theme_create(
        summit=draft_summit, data=ThemeInput(title="Draft summit theme", councils=[birmingham]), by=None
    ).theme
    draft_summit_theme.is_published = True  # published before themes waited for the summit to be held
    draft_summit_theme.save()
    draft_summit.theme_loggers.create(user=users["other_dass"])  # a logger named early sees nothing yet
    finding_save(
        summit=draft_summit, council=birmingham, key_findings="Draft summit finding", recommendations=[]
    )
    # A finished pack build of the published summit, its ZIP in the default storage.
    zip_name = default_storage.save("packs/matrix.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18))
    pack_build = PackBuild.objects.create(summit=summit, state=PackBuild.State.DONE, file_name=zip_name)
    # A published theme and an unpublished one, a published work programme with one item, an
    # unpublished one, and Birmingham's findings with a recommendation.
    theme = theme_create(
        summit=summit, data=ThemeInput(title="Workforce", councils=[birmingham]), by=None
    ).theme
    theme.is_published = True
    theme.save()
    draft_theme = theme_create(summit=summit, data=ThemeInput(title="Not yet published"), by=None).theme
    programme = work_programme_get_or_create(region=west_midlands, year=summit.date.year)
    work_programme_publish(programme=programme)
    item = work_item_from_theme(theme=theme)
    draft_programme = work_programme_get_or_create(region=west_midlands, year=summit.date.year - 1)
    draft_item = work_item_create(programme=draft_programme, title="Last year's plan")
    finding = finding_save(summit=summit, council=birmingham, key_findings="Strong", recommendations=["Do X"])
    # Birmingham's packs built once, as a summit's are before its readers ask, and kept (the storage is not
    # rolled back): each role then reads the same files rather than building its own; building on a
    # download is tested with the packs. Built last, when nothing they show can change.
    for include_questions in (True, False):  # its challengers' question set, and without it
        pack_files_get_or_build(council=birmingham, summit=summit, include_questions=include_questions)
    pack_files_get_or_build(council=birmingham, period=cycle.period)  # outside a summit
    return {
        "pack_build": pack_build,
        "theme": theme,
        "draft_theme": draft_theme,
        "programme": programme,
        "item": item,
        "draft_programme": draft_programme,
        "draft_item": draft_item,
        "recommendation": finding.recommendations.get(),
        "users": users,
        "measure": wm_measure,
        "london_measure": london_measure,
        "record": record,
        "barking": barking,
        "birmingham": birmingham,
        "cycle": cycle,
        "summit": summit,
        "draft_summit": draft_summit,
        "draft_summit_theme": draft_summit_theme,
        "avoid": avoid,
    }


def client_as(world: dict, role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(world["users"][role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_every_url_for_every_role(world, role):
    client = client_as(world, role)
    wrong = []
    for name, expect in EXPECTATIONS.items():
        path = expect.path(world)
        status = client.get(path).status_code
        if status != expect.get[role]:
            wrong.append(f"GET {path} ({name}): {status}, expected {expect.get[role]}")
        if expect.post is not None:
            status = client.post(path, {"anything": "x"}).status_code
            allowed = expect.post[role]
            if status not in (allowed if isinstance(allowed, tuple) else (allowed,)):
                wrong.append(f"POST {path} ({name}): {status}, expected {expect.post[role]}")
    for name, (make_path, statuses) in VARIANTS.items():
        path = make_path(world)
        status = client.get(path).status_code
        if status != statuses[role]:
            wrong.append(f"GET {path} ({name}): {status}, expected {statuses[role]}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_every_post_to_a_read_only_api_route_is_a_json_405(world, role):
    client = Client(enforce_csrf_checks=True)  # a real browser session: CSRF is enforced
    if role != ANONYMOUS:
        client.force_login(world["users"][role])
    for name, expect in EXPECTATIONS.items():
        if not name.startswith(("api:", "summits-api:")) or name in API_WRITE_ROUTES:
            continue
        response = client.post(expect.path(world), {"x": "1"})
        assert response.status_code == (401 if role == ANONYMOUS else 405), name
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]


# Findings belong to their council and the coordinator (the region's lead oversees them); the region's
# lessons learnt are what the coordinator publishes as lessons, never a copy of every finding.
FINDING_READERS = {
    "Birmingham finding": {"admin", "wm_lead", "wm_coordinator", "dass", "delegate"},
    "Coventry finding": {"admin", "wm_lead", "wm_coordinator", "other_dass"},
}


@pytest.mark.parametrize("role", ROLES)
def test_findings_are_read_by_their_council_and_the_coordinator(world, role):
    summit, coventry = world["summit"], Council.objects.get(gss_code=COVENTRY)
    finding_save(
        summit=summit, council=world["birmingham"], key_findings="Birmingham finding", recommendations=[]
    )
    finding_save(summit=summit, council=coventry, key_findings="Coventry finding", recommendations=[])
    client = client_as(world, role)
    findings = client.get(f"/summits/{summit.pk}/findings/")
    lessons = client.get("/lessons/").content.decode()
    for text, readers in FINDING_READERS.items():
        assert (text in findings.content.decode()) == (role in readers), (text, findings.status_code)
        assert text not in lessons, "saving findings must not publish them as lessons"
    finding_save(
        summit=summit,
        council=world["birmingham"],
        key_findings="Birmingham finding",
        recommendations=[],
        publish_as_lesson=True,
    )
    assert ("Birmingham finding" in client.get("/lessons/").content.decode()) == (
        role in ["admin", *WM_ROLES]
    )


def test_logout_is_post_only_and_ends_the_session(world):
    client = client_as(world, "dass")
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


# Write cases: region-scoped uploads and confirms ---------------------------------------------------------


def _local_csv(*rows: str) -> SimpleUploadedFile:
    text = "gss_code,measure_code,period,value\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile("local.csv", text.encode(), content_type="text/csv")


ASCOF_CSV = (
    "Year,ONS Code,Geographical Description,Geographical Level,Measure Group,Measure_Value\n"
    "2019-20,E08000025,Birmingham,Council,1A,18.9\n"
)

PREVIEWED, FAILED = ImportRecord.Status.PREVIEWED, ImportRecord.Status.FAILED
DENIED = 403
UPLOAD_CASES = {
    # case: (kind, file content, {role: outcome}); roles without import permission are DENIED.
    "own region's council and measure": (
        "local",
        lambda: _local_csv(f"{BIRMINGHAM},WM-REV,2023-24,82.0"),
        {"admin": PREVIEWED, "wm_lead": PREVIEWED, "london_lead": FAILED},
    ),
    "another region's council": (
        "local",
        lambda: _local_csv(f"{BARKING},WM-REV,2023-24,82.0"),
        {"admin": PREVIEWED, "wm_lead": FAILED, "london_lead": FAILED},
    ),
    "another region's measure": (
        "local",
        lambda: _local_csv(f"{BIRMINGHAM},LDN-1,2023-24,50"),
        {"admin": PREVIEWED, "wm_lead": FAILED, "london_lead": FAILED},
    ),
    # The national file: an admin loads all of it; an SLI lead loads only their own region's figures from it
    # (the rest is skipped), as the upload form says before the upload.
    "national ASCOF data": (
        "ascof",
        lambda: SimpleUploadedFile("ascof.csv", ASCOF_CSV.encode(), content_type="text/csv"),
        {"admin": PREVIEWED, "wm_lead": PREVIEWED, "london_lead": PREVIEWED},
    ),
}


@pytest.mark.parametrize("case", list(UPLOAD_CASES))
@pytest.mark.parametrize("role", ROLES)
def test_upload_writes_are_region_scoped(world, settings, tmp_path, role, case):
    settings.IMPORT_UPLOAD_DIR = tmp_path
    kind, content, outcomes = UPLOAD_CASES[case]
    client = client_as(world, role)
    before = ImportRecord.objects.count()
    response = client.post("/imports/new/", {"kind": kind, "file": content(), "year": ""})
    if role == ANONYMOUS:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        return
    if role not in outcomes:
        assert response.status_code == DENIED
        assert ImportRecord.objects.count() == before
        return
    assert response.status_code == 302, response.content.decode()[:500]
    record = ImportRecord.objects.latest("pk")
    assert record.status == outcomes[role], record.problems
    if outcomes[role] == FAILED:
        problems = " ".join(problem["message"] for problem in record.problems)
        assert "your own region" in problems or "national ASCOF data" in problems or "region" in problems
    if kind == "ascof":
        led = {"wm_lead": WEST_MIDLANDS, "london_lead": LONDON}.get(role)
        assert (record.only_region.gss_code if record.only_region else None) == led
    assert not Value.objects.exists()  # a preview never writes


@pytest.mark.parametrize("role", ROLES)
def test_confirm_writes_are_region_scoped(world, settings, tmp_path, role):
    """An admin's preview of West Midlands figures, confirmed by each role in turn."""
    settings.IMPORT_UPLOAD_DIR = tmp_path
    admin = client_as(world, "admin")
    admin.post(
        "/imports/new/",
        {"kind": "local", "file": _local_csv(f"{BIRMINGHAM},WM-REV,2023-24,82.0"), "year": ""},
    )
    preview = ImportRecord.objects.latest("pk")
    assert preview.status == PREVIEWED, preview.problems
    response = client_as(world, role).post(f"/imports/{preview.pk}/confirm/")
    written = Value.objects.filter(measure=world["measure"], area__key=BIRMINGHAM).exists()
    if role in ("admin", "wm_lead"):
        assert response.status_code == 302 and written
    elif role == "london_lead":
        assert response.status_code == 302 and not written
        failed = ImportRecord.objects.latest("pk")
        assert failed.status == FAILED and "your own region" in failed.problems[0]["message"]
        preview.refresh_from_db()  # the refusal does not use up the preview: an admin can still confirm it
        assert can_confirm(preview) and preview.confirmed_at is None
    else:
        assert response.status_code == (302 if role == ANONYMOUS else DENIED) and not written
