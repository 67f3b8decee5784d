"""Thin views over the peerchallenge selectors and services. Permissions come from peerchallenge/rules.py."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from councils.models import Council, Membership, Region
from councils.rules import is_admin, user_memberships
from peerchallenge import progress, selectors, services
from peerchallenge import timetable as tt
from peerchallenge.forms import (
    AvoidPairForm,
    LessonFilterForm,
    LessonForm,
    SummitForm,
    SummitReasonForm,
    SwapForm,
)
from peerchallenge.models import AvoidPair, Summit

GET = ["GET", "HEAD"]


def _summit_for(request: HttpRequest, pk: int, *, edit: bool = False) -> Summit:
    """The summit if the user may see it (404 otherwise: other regions learn nothing); 403 to edit."""
    summit = get_object_or_404(Summit.objects.select_related("region"), pk=pk)
    if not request.user.has_perm("peerchallenge.view_summit", summit):
        raise Http404("No such summit")
    if edit and not request.user.has_perm("peerchallenge.change_summit", summit):
        raise PermissionDenied
    return summit


def _editable_regions(user):  # type: ignore[no-untyped-def]
    if is_admin(user):
        return Region.objects.all()
    ids = [m.region_id for m in user_memberships(user) if m.role == Membership.Role.COORDINATOR]
    return Region.objects.filter(pk__in=ids)


@require_http_methods(GET)
def summit_list(request: HttpRequest) -> HttpResponse:
    summits = list(selectors.summits_for_user(user=request.user).order_by("-date"))
    return render(
        request,
        "peerchallenge/summit_list.html",
        {"summits": summits, "can_add": request.user.has_perm("peerchallenge.add_summit")},
    )


@require_http_methods([*GET, "POST"])
def summit_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("peerchallenge.add_summit"):
        raise PermissionDenied
    form = SummitForm(request.POST or None, regions=_editable_regions(request.user))
    if request.method == "POST" and form.is_valid():
        summit = form.save()
        messages.success(request, f"{summit.name} created. Pair the councils next.")
        return redirect(summit)
    return render(request, "peerchallenge/summit_form.html", {"form": form, "summit": None})


@require_http_methods([*GET, "POST"])
def summit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    summit = _summit_for(request, pk, edit=True)
    if not summit.is_editable:
        messages.error(request, "Only a draft summit can be edited: move it back to draft first.")
        return redirect(summit)
    form = SummitForm(
        request.POST or None, instance=summit, regions=Region.objects.filter(pk=summit.region_id)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Summit details saved.")
        return redirect(summit)
    return render(request, "peerchallenge/summit_form.html", {"form": form, "summit": summit})


def _detail(  # type: ignore[no-untyped-def]
    request: HttpRequest, summit: Summit, *, swap_form=None, avoid_form=None, status: int = 200
) -> HttpResponse:
    groups = selectors.summit_groups(summit=summit)
    can_edit = request.user.has_perm("peerchallenge.change_summit", summit)
    participants = summit.participants.order_by("name")
    transitions = [Summit.State(s) for s in Summit.TRANSITIONS[Summit.State(summit.state)]]
    context: dict[str, Any] = {
        "summit": summit,
        "groups": [
            (g, cs, selectors.group_sessions(cs)) for g in groups for cs in [selectors.group_councils(g)]
        ],
        "participants": list(participants),
        "can_edit": can_edit,
        "transitions": transitions,
    }
    if can_edit:
        context["checklist"] = progress.summit_checklist(region=summit.region, summit=summit)
        context["changes"] = list(summit.changes.select_related("by"))
        context["reopen_to"] = next((s for s in transitions if Summit.is_reopening(summit.state, s)), None)
        context["avoid_pairs"] = list(summit.avoid_pairs.select_related("council_a", "council_b"))
        context["problems"] = services.summit_problems(summit=summit) if groups else []
        context["swap_form"] = swap_form or SwapForm(councils=participants)
        context["avoid_form"] = avoid_form or AvoidPairForm(councils=participants)
    return render(request, "peerchallenge/summit_detail.html", context, status=status)


@require_http_methods(GET)
def summit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _summit_for(request, pk))


@require_POST
def summit_pair(request: HttpRequest, pk: int) -> HttpResponse:
    summit = _summit_for(request, pk, edit=True)
    try:
        result = services.summit_pair(summit=summit, another=request.POST.get("another") == "1")
    except services.SummitError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Councils paired in {len(result.groups)} groups"
            + (
                " (the best possible pairing)."
                if result.optimal
                else " (a good pairing; not proved the best)."
            ),
        )
    return redirect(summit)


@require_POST
def summit_swap(request: HttpRequest, pk: int) -> HttpResponse:
    summit = _summit_for(request, pk, edit=True)
    form = SwapForm(request.POST, councils=summit.participants.order_by("name"))
    if not form.is_valid():
        return _detail(request, summit, swap_form=form, status=400)
    try:
        services.summit_swap(
            summit=summit, first=form.cleaned_data["first"], second=form.cleaned_data["second"]
        )
    except services.SummitError as exc:
        form.add_error(None, str(exc))
        return _detail(request, summit, swap_form=form, status=400)
    messages.success(request, f"Swapped {form.cleaned_data['first']} and {form.cleaned_data['second']}.")
    return redirect(summit)


@require_POST
def avoid_add(request: HttpRequest, pk: int) -> HttpResponse:
    summit = _summit_for(request, pk, edit=True)
    form = AvoidPairForm(request.POST, councils=summit.participants.order_by("name"))
    if not form.is_valid():
        return _detail(request, summit, avoid_form=form, status=400)
    try:
        services.avoid_pair_add(
            summit=summit,
            first=form.cleaned_data["first"],
            second=form.cleaned_data["second"],
            reason=form.cleaned_data["reason"],
        )
    except services.SummitError as exc:
        form.add_error(None, str(exc))
        return _detail(request, summit, avoid_form=form, status=400)
    messages.success(request, "Constraint added. Pair the councils again to apply it.")
    return redirect(summit)


@require_POST
def avoid_delete(request: HttpRequest, pk: int, avoid_pk: int) -> HttpResponse:
    summit = _summit_for(request, pk, edit=True)
    try:
        services.avoid_pair_delete(pair=get_object_or_404(AvoidPair, pk=avoid_pk, summit=summit))
    except services.SummitError as exc:
        messages.error(request, str(exc))
        return redirect(summit)
    messages.success(request, "Constraint removed.")
    return redirect(summit)


@require_POST
def summit_state(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish, or move back to draft, at once (both can be undone). Holding, closing and reopening are asked
    on their own page first (``summit_state_change``)."""
    summit = _summit_for(request, pk, edit=True)
    to = request.POST.get("to", "")
    asks_first = to in Summit.State.values and (
        to in Summit.AFTER_THE_DAY or Summit.is_reopening(summit.state, to)
    )
    if asks_first:
        return redirect(reverse("peerchallenge:summit-state-change", kwargs={"pk": summit.pk, "to": to}))
    try:
        services.summit_transition(summit=summit, to=to, by=request.user)
    except services.SummitError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _STATE_MESSAGES.get(summit.state, "Summit saved."))
    return redirect(summit)


_STATE_MESSAGES: dict[str, str] = {
    Summit.State.PUBLISHED: "The summit is published: each council's DASS and delegates now see their session "
    "and their pack. Build the packs next.",
    Summit.State.DRAFT: "The summit is back in draft: DASSs no longer see it.",
    Summit.State.HELD: "The summit is marked as held. Log and publish the plenary's themes next.",
    Summit.State.CLOSED: "The summit is closed.",
}


@require_http_methods([*GET, "POST"])
def summit_state_change(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    """Check your answers before marking a summit as held, closing it or reopening it: what will change, what
    is still missing; POST does it (a reopening with its reason)."""
    summit = _summit_for(request, pk, edit=True)
    if to not in Summit.State.values:
        raise Http404("No such state")
    check = progress.state_change_check(summit=summit, to=to)
    form = SummitReasonForm(request.POST if request.method == "POST" else None, required=check.needs_reason)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.summit_transition(
                    summit=summit, to=to, by=request.user, reason=form.cleaned_data["reason"]
                )
            except services.SummitError as exc:
                form.add_error(None, str(exc))
            else:
                message = _STATE_MESSAGES.get(to, "Summit saved.")
                if check.is_reopening:
                    message = f"The summit is reopened: it is {summit.get_state_display().lower()} again."
                messages.success(request, message)
                return redirect(summit)
        status = 400
    return render(
        request,
        "peerchallenge/summit_state_change.html",
        {"summit": summit, "check": check, "form": form},
        status=status,
    )


@require_http_methods(GET)
def summit_timetable(request: HttpRequest, pk: int) -> HttpResponse:
    summit = _summit_for(request, pk)
    groups = selectors.summit_groups(summit=summit)
    timetable = selectors.summit_timetable(summit=summit, groups=groups)
    return render(
        request,
        "peerchallenge/timetable.html",
        {
            "summit": summit,
            "timetable": timetable,
            "groups": [(g, selectors.group_councils(g)) for g in groups],
            "councils": sorted(
                {c for g in groups for c in selectors.group_councils(g)}, key=lambda c: c.name
            ),
        },
    )


@require_http_methods(GET)
def summit_timetable_csv(request: HttpRequest, pk: int) -> HttpResponse:
    summit = _summit_for(request, pk)
    response = HttpResponse(
        tt.timetable_csv(selectors.summit_timetable(summit=summit)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="timetable-summit-{summit.pk}.csv"'
    return response


@require_http_methods(GET)
def summit_council_ics(request: HttpRequest, pk: int, gss_code: str) -> HttpResponse:
    summit = _summit_for(request, pk)
    council = get_object_or_404(Council, gss_code=gss_code, summits=summit)
    body = tt.council_ics(
        timetable=selectors.summit_timetable(summit=summit),
        council=council.name,
        summit_name=summit.name,
        venue=summit.venue,
        uid_prefix=f"summit-{summit.pk}-{council.gss_code}",
        stamp=summit.updated_at or timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{council.slug}-summit-{summit.pk}.ics"'
    return response


@require_http_methods(GET)
def lesson_list(request: HttpRequest) -> HttpResponse:
    regions = selectors.regions_for_user(user=request.user)
    if regions is not None and not regions:
        raise PermissionDenied
    years = selectors.lesson_years(regions=regions)
    form = LessonFilterForm(request.GET or None, years=years)
    domain = year = None
    if form.is_bound and form.is_valid():
        domain, year = form.cleaned_data["domain"], form.cleaned_data["year"]
    can_add = any(
        request.user.has_perm("peerchallenge.change_lessons", r) for r in (regions or [])
    ) or is_admin(request.user)
    return render(
        request,
        "peerchallenge/lesson_list.html",
        {
            "lessons": list(selectors.lessons_for(regions=regions, domain=domain, year=year)),
            "form": form,
            "can_add": can_add,
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@require_http_methods([*GET, "POST"])
def lesson_create(request: HttpRequest) -> HttpResponse:
    regions = _editable_regions(request.user)
    if not regions.exists():
        raise PermissionDenied
    form = LessonForm(request.POST or None, regions=regions, initial={"date": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        lesson = form.save()
        messages.success(request, f"Lesson from {lesson.host} recorded.")
        return redirect("peerchallenge:lesson-list")
    return render(request, "peerchallenge/lesson_form.html", {"form": form})
