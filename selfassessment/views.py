"""Self-assessment pages. Thin: permissions from ``rules.py`` beside them, reads from selectors, writes from
services. URLs in ``urls.py``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from core.exports import docx_response
from councils.models import Council, Region
from scorecard.models import Domain
from selfassessment import selectors, services
from selfassessment.docx_export import self_assessment_docx
from selfassessment.forms import CycleForm, ReopenForm, ReopenRequestForm, SelfAssessmentForm
from selfassessment.models import SelfAssessment, SelfAssessmentCycle

VIEW = "selfassessment.view_selfassessment"
CHANGE = "selfassessment.change_selfassessment"
REOPEN = "selfassessment.reopen_selfassessment"
REQUEST_REOPEN = "selfassessment.request_reopen_selfassessment"
HISTORY = "selfassessment.view_selfassessment_history"
ADD_CYCLE = "selfassessment.add_selfassessmentcycle"
VIEW_CYCLES = "selfassessment.view_selfassessmentcycle"


def _region(gss_code: str) -> Region:
    return get_object_or_404(Region, gss_code=gss_code)


def _council(gss_code: str) -> Council:
    return get_object_or_404(Council.objects.select_related("region"), gss_code=gss_code)


def _cycle(region: Region | None, slug: str) -> SelfAssessmentCycle:
    if region is None:
        raise Http404("This council has no region, so no self-assessment cycle.")
    cycle = selectors.cycle_for_region(region=region, slug=slug)
    if cycle is None:
        raise Http404("No such self-assessment cycle.")
    return cycle


def _assessment_at(gss_code: str, slug: str) -> tuple[Council, SelfAssessmentCycle, SelfAssessment]:
    """The council, the cycle of its region and its self-assessment in it (an unsaved one if not started)."""
    council = _council(gss_code)
    cycle = _cycle(council.region, slug)
    return council, cycle, _assessment_or_placeholder(cycle, council)


def _assessment_or_placeholder(cycle: SelfAssessmentCycle, council: Council) -> SelfAssessment:
    """The saved self-assessment, or an unsaved draft standing for "not started" (same permissions)."""
    found = selectors.self_assessment_for(cycle=cycle, council=council)
    return found or SelfAssessment(cycle=cycle, council=council)


def _require(request: HttpRequest, perm: str, obj: models.Model) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


# --- Cycles -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def cycle_list(request: HttpRequest, gss_code: str) -> HttpResponse:
    region = _region(gss_code)
    _require(request, VIEW_CYCLES, region)
    return render(
        request,
        "selfassessment/cycle_list.html",
        {
            "region": region,
            "cycles": selectors.cycles_for_region(region=region),
            "can_open": request.user.has_perm(ADD_CYCLE, region),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def cycle_create(request: HttpRequest, gss_code: str) -> HttpResponse:
    region = _region(gss_code)
    _require(request, ADD_CYCLE, region)
    form = CycleForm(request.POST or None, region=region, prompts=selectors.default_prompts())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cycle = services.cycle_open(
            region=region,
            name=data["name"],
            slug=slugify(data["name"]),
            closes_on=data["closes_on"],
            period=data["period"],
            prompts=form.prompts(),
            framework=data["framework"],
            user=request.user,
        )
        messages.success(request, f"{cycle.name} is open. Councils can now fill in their self-assessments.")
        return redirect(cycle.get_absolute_url())
    return render(request, "selfassessment/cycle_form.html", {"region": region, "form": form})


@require_http_methods(["GET", "HEAD"])
def cycle_detail(request: HttpRequest, gss_code: str, slug: str) -> HttpResponse:
    region = _region(gss_code)
    _require(request, VIEW_CYCLES, region)
    cycle = _cycle(region, slug)
    region_view = request.user.has_perm(
        "councils.view_people", region
    )  # the region's lead, coordinator, admins
    rows = []
    for row in selectors.cycle_statuses(cycle=cycle):
        visible = request.user.has_perm(
            VIEW, row.assessment or SelfAssessment(cycle=cycle, council=row.council)
        )
        if visible or region_view:
            rows.append((row, visible))
    return render(
        request,
        "selfassessment/cycle_detail.html",
        {
            "region": region,
            "cycle": cycle,
            "rows": rows,
            "can_close": cycle.is_open and request.user.has_perm(ADD_CYCLE, region),
            "domains": list(Domain.objects.all()),
        },
    )


@require_http_methods(["POST"])
def cycle_close(request: HttpRequest, gss_code: str, slug: str) -> HttpResponse:
    region = _region(gss_code)
    _require(request, ADD_CYCLE, region)
    cycle = _cycle(region, slug)
    services.cycle_close(cycle=cycle, user=request.user)
    messages.success(request, f"{cycle.name} is closed. Self-assessments can no longer be changed.")
    return redirect(cycle.get_absolute_url())


# --- One council's self-assessment ------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def council_latest(request: HttpRequest, gss_code: str) -> HttpResponse:
    council = _council(gss_code)
    cycle = selectors.cycle_for_region(region=council.region) if council.region else None
    if cycle is None:
        return render(request, "selfassessment/no_cycle.html", {"council": council})
    return redirect("selfassessment:detail", council.gss_code, cycle.slug)


@require_http_methods(["GET", "HEAD"])
def detail(request: HttpRequest, gss_code: str, slug: str) -> HttpResponse:
    council, cycle, assessment = _assessment_at(gss_code, slug)
    _require(request, VIEW, assessment)
    return _detail_page(request, council, cycle, assessment)


def _detail_page(
    request: HttpRequest,
    council: Council,
    cycle: SelfAssessmentCycle,
    assessment: SelfAssessment,
    *,
    reopen_form: ReopenForm | None = None,
    request_form: ReopenRequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The self-assessment page, with the reopen form (coordinator) or the reopening request (council)."""
    view = selectors.self_assessment_view(cycle=cycle, council=council)
    if view.previous_assessment is not None and not request.user.has_perm(VIEW, view.previous_assessment):
        view.previous_assessment = None
        for domain in view.domains:
            domain.previous = None
    return render(
        request,
        "selfassessment/detail.html",
        {
            "council": council,
            "cycle": cycle,
            "view": view,
            "assessment": view.assessment,
            "can_edit": cycle.is_open and request.user.has_perm(CHANGE, assessment),
            "can_reopen": request.user.has_perm(REOPEN, assessment),
            "can_request_reopen": cycle.is_open and request.user.has_perm(REQUEST_REOPEN, assessment),
            "can_history": assessment.pk is not None and request.user.has_perm(HISTORY, assessment),
            "reopen_form": reopen_form
            or ReopenForm(initial={"reason": assessment.reopen_request_reason if assessment.pk else ""}),
            "request_form": request_form or ReopenRequestForm(),
            "past_cycles": [c for c in selectors.cycles_for_region(region=cycle.region) if c.pk != cycle.pk],
        },
        status=status,
    )


def _edit_context(
    form: SelfAssessmentForm, council: Council, cycle: SelfAssessmentCycle, **extra: Any
) -> dict[str, Any]:
    prompts = cycle.prompts or {}
    statement_groups = form.statement_groups()
    for group in statement_groups:
        chosen = group["measures"].value() or []
        group["selected"] = {int(v) for v in chosen if str(v).isdigit()}
    if statement_groups:
        return {
            "form": form,
            "council": council,
            "cycle": cycle,
            "groups": [],
            "statement_groups": statement_groups,
            **extra,
        }
    groups = form.domain_groups()
    data = selectors.domain_data_summaries(cycle=cycle, council=council)
    for group in groups:
        group["prompt"] = prompts.get(group["domain"].slug, "")
        group["data"] = data.get(group["domain"].pk)
        chosen = group["measures"].value() or []
        group["selected"] = {int(v) for v in chosen if str(v).isdigit()}
    return {"form": form, "council": council, "cycle": cycle, "groups": groups, **extra}


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, gss_code: str, slug: str) -> HttpResponse:
    council, cycle, assessment = _assessment_at(gss_code, slug)
    refused = _edit_refused(request, council=council, cycle=cycle, assessment=assessment)
    if refused is not None:
        return refused
    choices = selectors.measure_choices(cycle=cycle)
    items: dict[str, Any] = {
        "domains": list(Domain.objects.all()),
        "statements": list(cycle.framework.statements.all()) if cycle.framework.by_statements else [],
        "measures": [m for _, group in choices for m in group],
    }
    conflict = None
    if request.method != "POST":
        initial = SelfAssessmentForm.initial_for(assessment if assessment.pk else None)
        form = SelfAssessmentForm(initial=initial, **items)
    else:
        # "Continue" (or an older page's "submit") checks every answer, saves them as a draft, and shows them
        # for checking: the self-assessment is submitted from that page only.
        submitting = request.POST.get("action") in ("check", "submit")
        form = SelfAssessmentForm(request.POST, submitting=submitting, **items)
        if form.is_valid():
            saved, conflict = _edit_save(
                request, form=form, council=council, cycle=cycle, submitting=submitting
            )
            if saved is not None:
                return saved
        if conflict is not None:
            # Keep what they typed; a new save after reading the other version replaces it, on purpose.
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = SelfAssessmentForm(data, submitting=False, **items)
            form.is_valid()
    return render(
        request,
        "selfassessment/edit.html",
        _edit_context(form, council, cycle, measure_groups=choices, assessment=assessment, conflict=conflict),
        status=409 if conflict is not None else 200,
    )


def _edit_refused(request: HttpRequest, *, council, cycle, assessment) -> HttpResponse | None:  # type: ignore[no-untyped-def]
    """Where a user who may not change this self-assessment goes instead (None: they may)."""
    if not request.user.has_perm(CHANGE, assessment):
        if request.user.has_perm(VIEW, assessment):
            messages.info(request, "This self-assessment has been submitted, so it is read-only.")
            return redirect("selfassessment:detail", council.gss_code, cycle.slug)
        raise PermissionDenied
    if not cycle.is_open:
        messages.info(request, f"{cycle.name} is closed, so its self-assessments can no longer be changed.")
        return redirect("selfassessment:detail", council.gss_code, cycle.slug)
    return None


def _edit_save(request: HttpRequest, *, form, council, cycle, submitting: bool):  # type: ignore[no-untyped-def]
    """Save a valid form: (the redirect after a save, None) or (None, the version that got in first)."""
    try:
        services.self_assessment_save(
            cycle=cycle,
            council=council,
            data=form.to_input(),
            user=request.user,
            expected_version=form.cleaned_data["version"],
            submit=False,
        )
    except services.EditConflict:
        return None, selectors.self_assessment_for(cycle=cycle, council=council)
    except services.NotEditable as exc:
        messages.error(request, f"Your changes were not saved: {exc}")
        return None, None
    if submitting:
        return redirect("selfassessment:check", council.gss_code, cycle.slug), None
    messages.success(request, "Draft saved.")
    return redirect("selfassessment:edit", council.gss_code, cycle.slug), None


@require_http_methods(["GET", "HEAD", "POST"])
def check(request: HttpRequest, gss_code: str, slug: str) -> HttpResponse:
    """Check your answers: the saved draft, each rating beside the data, what is still missing; POST submits."""
    council, cycle, assessment = _assessment_at(gss_code, slug)
    refused = _edit_refused(request, council=council, cycle=cycle, assessment=assessment)
    if refused is not None:
        return refused
    if assessment.pk is None:
        return redirect("selfassessment:edit", council.gss_code, cycle.slug)
    status = 200
    if request.method == "POST":
        try:
            services.self_assessment_submit(
                assessment=assessment, user=request.user, expected_version=_int(request.POST.get("version"))
            )
        except services.EditConflict:
            messages.error(
                request, "Someone else saved this self-assessment since you checked it: check it again."
            )
            return redirect("selfassessment:check", council.gss_code, cycle.slug)
        except (services.NotEditable, services.Incomplete) as exc:
            messages.error(request, f"The self-assessment was not submitted: {exc}")
            status = 400
        else:
            messages.success(request, f"{council}'s self-assessment for {cycle.name} is submitted.")
            return redirect("selfassessment:detail", council.gss_code, cycle.slug)
    view = selectors.self_assessment_view(cycle=cycle, council=council, include_previous=False)
    return render(
        request,
        "selfassessment/check.html",
        {
            "council": council,
            "cycle": cycle,
            "view": view,
            "assessment": view.assessment,
            "missing": selectors.self_assessment_missing(assessment=view.assessment),
        },
        status=status,
    )


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) <= 9 else -1


@require_http_methods(["POST"])
def reopen(request: HttpRequest, gss_code: str, slug: str) -> HttpResponse:
    council, cycle, assessment = _assessment_at(gss_code, slug)
    _require(request, REOPEN, assessment)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, council, cycle, assessment, reopen_form=form, status=400)
    try:
        services.self_assessment_reopen(
            assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]
        )
    except services.NotEditable as exc:  # reopened already (a second tab, a double click)
        messages.error(request, str(exc))
        return redirect("selfassessment:detail", council.gss_code, cycle.slug)
    messages.success(request, f"{council}'s self-assessment is reopened. {council} can change it again.")
    return redirect("selfassessment:detail", council.gss_code, cycle.slug)


@require_http_methods(["POST"])
def reopen_request(request: HttpRequest, gss_code: str, slug: str) -> HttpResponse:
    """The council asks the coordinator to reopen its submitted self-assessment."""
    council, cycle, assessment = _assessment_at(gss_code, slug)
    _require(request, REQUEST_REOPEN, assessment)
    form = ReopenRequestForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, council, cycle, assessment, request_form=form, status=400)
    try:
        services.self_assessment_reopen_request(
            assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]
        )
    except services.NotEditable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Your request is sent: the region's peer-challenge coordinator sees it and can reopen the "
            "self-assessment.",
        )
    return redirect("selfassessment:detail", council.gss_code, cycle.slug)


@require_http_methods(["GET", "HEAD"])
def history(request: HttpRequest, gss_code: str, slug: str) -> HttpResponse:
    council, cycle, assessment = _assessment_at(gss_code, slug)
    if assessment.pk is None:
        raise Http404("This self-assessment has not been started.")
    _require(request, HISTORY, assessment)
    return render(
        request,
        "selfassessment/history.html",
        {
            "council": council,
            "cycle": cycle,
            "assessment": assessment,
            "entries": selectors.self_assessment_history(assessment=assessment),
        },
    )


@require_http_methods(["GET", "HEAD"])
def export_docx(request: HttpRequest, gss_code: str, slug: str) -> HttpResponse:
    council, cycle, assessment = _assessment_at(gss_code, slug)
    if assessment.pk is None:
        raise Http404("This self-assessment has not been started.")
    _require(request, VIEW, assessment)
    content = self_assessment_docx(view=selectors.self_assessment_view(cycle=cycle, council=council))
    return docx_response(content, filename=f"self-assessment-{council.slug}-{cycle.slug}")
