"""Thin views for plenary themes, the work programme and follow-up. Rules: peerchallenge/themes/rules.py.

Another region's users learn nothing (404); people who may read but not write get 403 on a write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import docx_response, export_response
from councils.models import Council, Region
from peerchallenge.models import LessonLearnt, Summit
from peerchallenge.themes import docx_export, exports, selectors, services
from peerchallenge.themes.forms import (
    FindingForm,
    FollowUpForm,
    LinkForm,
    LoggerForm,
    MergeForm,
    SplitForm,
    ThemeBulkForm,
    ThemeForm,
    ThemeListForm,
    WorkItemForm,
    WorkUpdateForm,
)
from peerchallenge.themes.models import Recommendation, SessionFinding, Theme, WorkItem

GET = ["GET", "HEAD"]
MIN_YEAR, MAX_YEAR = 2000, 2100


def _summit(request: HttpRequest, pk: int, *, perm: str = "peerchallenge.view_themes") -> Summit:
    """The summit if the user may read its themes (404 otherwise); 403 when they may read but not ``perm``."""
    summit = get_object_or_404(Summit.objects.select_related("region"), pk=pk)
    if not request.user.has_perm("peerchallenge.view_themes", summit):
        raise Http404("No such summit")
    if not request.user.has_perm(perm, summit):
        raise PermissionDenied
    return summit


def _theme(request: HttpRequest, summit: Summit, theme_pk: int) -> Theme:
    theme = get_object_or_404(
        Theme.objects.select_related("summit__region", "merged_into"), pk=theme_pk, summit=summit
    )
    if not theme.is_published and not request.user.has_perm("peerchallenge.view_all_themes", summit):
        raise Http404("No such theme")
    return theme


def _published_only(request: HttpRequest, summit: Summit) -> bool:
    return not request.user.has_perm("peerchallenge.view_all_themes", summit)


# --- Plenary and themes ----------------------------------------------------------------------------------


@require_http_methods([*GET, "POST"])
def plenary(request: HttpRequest, pk: int) -> HttpResponse:
    """The live page: a form to log one theme after another. With JavaScript each save goes through the
    JSON API (kept in the browser until it is saved); without it this is an ordinary form."""
    summit = _summit(request, pk, perm="peerchallenge.log_themes")
    form = ThemeForm(request.POST or None, summit=summit)
    if request.method == "POST":
        if form.is_valid():
            saved = services.theme_create(
                summit=summit,
                data=form.cleaned_data["input"],
                by=request.user,
                client_id=form.cleaned_data["client_id"],
            )
            verb = "Saved" if saved.created else "Already saved"
            messages.success(request, f"{verb}: {saved.theme.title}")
            return redirect("themes:plenary", pk=summit.pk)
        status = 400
    else:
        status = 200
    return render(request, "peerchallenge/themes/plenary.html", _plenary_context(summit, form), status=status)


def _plenary_context(summit: Summit, form: ThemeForm, *, many_form: ThemeListForm | None = None) -> dict:
    return {
        "summit": summit,
        "form": form,
        "many_form": many_form or ThemeListForm(),
        "themes": selectors.themes_for_summit(summit=summit),
        "api_url": reverse("summits-api:summit-themes", kwargs={"pk": summit.pk}),
        "shows_demo_data": summit.is_demo,
    }


@require_POST
def plenary_many(request: HttpRequest, pk: int) -> HttpResponse:
    """Several themes at once, one title a line; then their list, to merge, publish and plan them."""
    summit = _summit(request, pk, perm="peerchallenge.log_themes")
    form = ThemeListForm(request.POST)
    if form.is_valid():
        try:
            saved = services.themes_create_many(
                summit=summit, titles=form.cleaned_data["titles"], by=request.user
            )
        except services.ThemeError as exc:
            form.add_error("titles", str(exc))
        else:
            new = sum(s.created for s in saved)
            again = len(saved) - new
            messages.success(
                request,
                f"{new} theme{'' if new == 1 else 's'} saved"
                + (f" ({again} already saved)" if again else "")
                + ". Merge duplicates, then publish them and add them to the work programme.",
            )
            return redirect("themes:theme-list", pk=summit.pk)
    return render(
        request,
        "peerchallenge/themes/plenary.html",
        _plenary_context(summit, ThemeForm(summit=summit), many_form=form),
        status=400,
    )


@require_http_methods(GET)
def theme_list(request: HttpRequest, pk: int) -> HttpResponse:
    return _theme_list_page(request, _summit(request, pk))


def _theme_list_page(request: HttpRequest, summit: Summit, *, bulk_form=None, status=200) -> HttpResponse:  # type: ignore[no-untyped-def]
    published_only = _published_only(request, summit)
    themes = selectors.themes_for_summit(summit=summit, published_only=published_only)
    can_manage = request.user.has_perm("peerchallenge.manage_themes", summit)
    recurrences = selectors.region_theme_chains(region=summit.region, published_only=published_only)
    for theme in themes:
        theme.recurrence = recurrences.get(theme.pk)
    can_log = request.user.has_perm("peerchallenge.log_themes", summit)
    can_plan = request.user.has_perm("peerchallenge.change_work_programme", summit.region)
    return render(
        request,
        "peerchallenge/themes/theme_list.html",
        {
            "summit": summit,
            "themes": themes,
            "can_log": can_log,
            "can_plan": can_plan,
            "can_manage": can_manage,
            "can_publish": can_manage and summit.state in Summit.AFTER_THE_DAY,
            "bulk_form": bulk_form,
            "ticked": set(bulk_form["themes"].value() or []) if bulk_form is not None else set(),
            "unpublished": sum(1 for t in themes if not t.is_published),
            "loggers": list(summit.theme_loggers.select_related("user")) if can_manage else [],
            "logger_form": LoggerForm(summit=summit) if can_manage else None,
            "shows_demo_data": any(t.is_demo for t in themes),
        },
        status=status,
    )


@require_POST
def themes_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Act on the ticked themes at once: merge them (into the one raised by most councils), or add each to
    the region's work programme as a proposed item."""
    summit = _summit(request, pk)
    may_log = request.user.has_perm("peerchallenge.log_themes", summit)
    may_plan = request.user.has_perm("peerchallenge.change_work_programme", summit.region)
    if not (may_log or may_plan):
        raise PermissionDenied
    form = ThemeBulkForm(request.POST, summit=summit)
    if not form.is_valid():
        return _theme_list_page(request, summit, bulk_form=form, status=400)
    action = form.cleaned_data["action"]
    if not (may_log if action == form.MERGE else may_plan):
        raise PermissionDenied
    ids = form.cleaned_data["themes"]
    by_reach = {t.pk: t for t in selectors.themes_for_summit(summit=summit) if t.pk in ids}
    ordered = sorted(by_reach.values(), key=lambda t: (-getattr(t, "reach", 0), t.title, t.pk))
    if action == form.MERGE:
        target, sources = ordered[0], ordered[1:]
        try:
            services.theme_merge(target=target, sources=sources, by=request.user)
        except services.ThemeError as exc:
            form.add_error("themes", str(exc))
            return _theme_list_page(request, summit, bulk_form=form, status=400)
        names = ", ".join(f"“{t.title}”" for t in sources)
        messages.success(request, f"Merged {names} into “{target.title}”. Its page can undo each merge.")
        return redirect("themes:theme-list", pk=summit.pk)
    items = services.work_items_from_themes(themes=ordered)
    year = summit.date.year
    messages.success(
        request,
        f"{len(items)} theme{'' if len(items) == 1 else 's'} in the {year} work programme as proposed items: "
        "set each one's lead, priority and due date. Then record each council's findings.",
    )
    return redirect("themes:work-programme", gss_code=summit.region.gss_code, year=year)


def _theme_page(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    summit: Summit,
    theme: Theme,
    *,
    form=None,
    merge_form=None,
    split_form=None,
    status=200,
) -> HttpResponse:
    can_log = request.user.has_perm("peerchallenge.log_themes", summit) and theme.merged_into_id is None
    context: dict[str, Any] = {
        "summit": summit,
        "theme": theme,
        "reach": theme.councils.count(),
        "councils": list(theme.councils.order_by("name")),
        "domains": list(theme.domains.order_by("position")),
        "sessions": list(theme.sessions.order_by("position")),
        "merged_from": list(theme.merged_from.order_by("title")),
        "history": selectors.theme_history(theme=theme),
        "movements": selectors.theme_measure_movement(theme=theme),
        "recurrence": selectors.region_theme_chains(
            region=summit.region, published_only=_published_only(request, summit)
        ).get(theme.pk),
        "work_items": list(theme.work_items.select_related("programme")),
        "can_log": can_log,
        "can_undo": request.user.has_perm("peerchallenge.log_themes", summit),
        "can_plan": request.user.has_perm("peerchallenge.change_work_programme", summit.region),
        "shows_demo_data": theme.is_demo,
    }
    if can_log:
        theme_initial = ThemeForm.initial_for(theme)
        context["form"] = form or ThemeForm(initial=theme_initial, summit=summit)
        context["merge_form"] = merge_form or MergeForm(theme=theme)
        context["split_form"] = split_form or SplitForm(theme=theme)
        context["link_form"] = LinkForm(theme=theme, initial={"earlier": theme.same_as_id})
    context["movement_is_demo"] = any(m.is_demo for m in context["movements"])
    if context["movement_is_demo"]:
        context["shows_demo_data"] = True
    return render(request, "peerchallenge/themes/theme_detail.html", context, status=status)


@require_http_methods([*GET, "POST"])
def theme_detail(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    """A theme, its history, how its measures moved; POST saves an edit."""
    summit = _summit(request, pk)
    theme = _theme(request, summit, theme_pk)
    if request.method != "POST":
        return _theme_page(request, summit, theme)
    if not request.user.has_perm("peerchallenge.log_themes", summit):
        raise PermissionDenied
    if theme.merged_into_id is not None:
        messages.error(request, "This theme is merged into another: undo the merge to edit it.")
        return redirect("themes:theme-detail", pk=summit.pk, theme_pk=theme.pk)
    form = ThemeForm(request.POST, summit=summit)
    if not form.is_valid():
        return _theme_page(request, summit, theme, form=form, status=400)
    services.theme_update(theme=theme, data=form.cleaned_data["input"], by=request.user)
    messages.success(request, "Theme saved.")
    return redirect("themes:theme-detail", pk=summit.pk, theme_pk=theme.pk)


@require_POST
def theme_merge(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    summit = _summit(request, pk, perm="peerchallenge.log_themes")
    theme = _theme(request, summit, theme_pk)
    form = MergeForm(request.POST, theme=theme)
    if not form.is_valid():
        return _theme_page(request, summit, theme, merge_form=form, status=400)
    source = get_object_or_404(Theme, pk=form.cleaned_data["source"], summit=summit)
    try:
        services.theme_merge(target=theme, sources=[source], by=request.user)
    except services.ThemeError as exc:
        form.add_error("source", str(exc))
        return _theme_page(request, summit, theme, merge_form=form, status=400)
    messages.success(request, f"Merged “{source.title}” into this theme.")
    return redirect("themes:theme-detail", pk=summit.pk, theme_pk=theme.pk)


@require_POST
def theme_unmerge(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    """Undo the merge of this theme (a merged duplicate) into another."""
    summit = _summit(request, pk, perm="peerchallenge.log_themes")
    theme = _theme(request, summit, theme_pk)
    target = theme.merged_into
    try:
        services.theme_merge_undo(source=theme, by=request.user)
    except services.ThemeError as exc:
        messages.error(request, str(exc))
        return redirect("themes:theme-detail", pk=summit.pk, theme_pk=theme.pk)
    messages.success(request, f"Merge undone: “{theme.title}” is its own theme again.")
    return redirect("themes:theme-detail", pk=summit.pk, theme_pk=target.pk if target else theme.pk)


@require_POST
def theme_link(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    """Say the theme is the same as one raised at an earlier summit of the region (or remove the link)."""
    summit = _summit(request, pk, perm="peerchallenge.log_themes")
    theme = _theme(request, summit, theme_pk)
    form = LinkForm(request.POST, theme=theme)
    if not form.is_valid():
        messages.error(request, "Choose a theme from an earlier summit of the region.")
        return redirect("themes:theme-detail", pk=summit.pk, theme_pk=theme.pk)
    earlier_pk = form.cleaned_data["earlier"]
    earlier = Theme.objects.select_related("summit").get(pk=earlier_pk) if earlier_pk else None
    services.theme_link_earlier(theme=theme, earlier=earlier)
    messages.success(request, f"Linked to “{earlier.title}”." if earlier else "Link removed.")
    return redirect("themes:theme-detail", pk=summit.pk, theme_pk=theme.pk)


@require_POST
def theme_split(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    summit = _summit(request, pk, perm="peerchallenge.log_themes")
    theme = _theme(request, summit, theme_pk)
    form = SplitForm(request.POST, theme=theme)
    if not form.is_valid():
        return _theme_page(request, summit, theme, split_form=form, status=400)
    councils = list(Council.objects.filter(gss_code__in=form.cleaned_data["councils"]))
    try:
        new = services.theme_split(
            theme=theme, title=form.cleaned_data["title"], councils=councils, by=request.user
        )
    except services.ThemeError as exc:
        form.add_error(None, str(exc))
        return _theme_page(request, summit, theme, split_form=form, status=400)
    messages.success(request, f"Split off “{new.title}”.")
    return redirect("themes:theme-detail", pk=summit.pk, theme_pk=new.pk)


@require_POST
def theme_to_work_item(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    summit = _summit(request, pk)
    if not request.user.has_perm("peerchallenge.change_work_programme", summit.region):
        raise PermissionDenied
    theme = _theme(request, summit, theme_pk)
    if theme.merged_into_id is not None:
        messages.error(request, "This theme is merged into another: use that one.")
        return redirect("themes:theme-detail", pk=summit.pk, theme_pk=theme.pk)
    item = services.work_item_from_theme(theme=theme)
    messages.success(request, f"“{item.title}” is in the {item.programme.year} work programme.")
    return redirect(_item_url(item))


@require_POST
def themes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    summit = _summit(request, pk, perm="peerchallenge.manage_themes")
    try:
        count = services.themes_publish(summit=summit, by=request.user)
    except services.ThemeError as exc:
        messages.error(request, str(exc))
        return redirect("themes:theme-list", pk=summit.pk)
    messages.success(request, f"{count} theme{'' if count == 1 else 's'} published to the region's councils.")
    return redirect("themes:theme-list", pk=summit.pk)


@require_POST
def logger_add(request: HttpRequest, pk: int) -> HttpResponse:
    summit = _summit(request, pk, perm="peerchallenge.manage_themes")
    form = LoggerForm(request.POST, summit=summit)
    if form.is_valid():
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(pk=form.cleaned_data["user"])
        services.summit_logger_add(summit=summit, user=user)
        messages.success(
            request, f"{user.get_full_name() or user.username} can now log themes at this summit."
        )
    else:
        messages.error(request, "Choose a person from the region.")
    return redirect("themes:theme-list", pk=summit.pk)


@require_POST
def logger_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    summit = _summit(request, pk, perm="peerchallenge.manage_themes")
    services.summit_logger_remove(summit=summit, user_id=user_pk)
    messages.success(request, "Removed from the people logging themes.")
    return redirect("themes:theme-list", pk=summit.pk)


# --- Themes across the region's summits --------------------------------------------------------------------


def _region(
    request: HttpRequest, gss_code: str, *, perm: str = "peerchallenge.view_work_programme"
) -> Region:
    region = get_object_or_404(Region, gss_code=gss_code.strip().upper()[:12])
    if not request.user.has_perm("peerchallenge.view_work_programme", region):
        raise Http404("No such region")
    if not request.user.has_perm(perm, region):
        raise PermissionDenied
    return region


@require_http_methods(GET)
def region_themes(request: HttpRequest, gss_code: str) -> HttpResponse:
    """Themes by domain over the years, recurring ones flagged."""
    region = _region(request, gss_code)
    published_only = not request.user.has_perm("peerchallenge.view_draft_work_programme", region)
    view = selectors.region_themes_by_domain(region=region, published_only=published_only)
    return render(
        request,
        "peerchallenge/themes/region_themes.html",
        {"region": region, "view": view, "shows_demo_data": view.data_is_demo},
    )


# --- Work programme -----------------------------------------------------------------------------------------


def _item_url(item: WorkItem) -> str:
    return reverse(
        "themes:work-item",
        kwargs={"gss_code": item.programme.region.gss_code, "year": item.programme.year, "item_pk": item.pk},
    )


def _year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("No work programme for that year")
    return year


def _programme_context(request: HttpRequest, region: Region, year: int, **extra) -> dict:  # type: ignore[no-untyped-def]
    can_edit = request.user.has_perm("peerchallenge.change_work_programme", region)
    can_see_drafts = request.user.has_perm("peerchallenge.view_draft_work_programme", region)
    programme = selectors.work_programme(region=region, year=year)
    if programme is not None and not programme.is_published and not can_see_drafts:
        programme = None
    items = selectors.work_items(programme=programme) if programme else []
    themes = selectors.summit_themes_for_year(region=region, year=year, published_only=not can_see_drafts)
    return {
        "region": region,
        "year": year,
        "programme": programme,
        "items": items,
        "summit_themes": themes,
        "years": selectors.work_programme_years(region=region, published_only=not can_see_drafts),
        "can_edit": can_edit,
        "shows_demo_data": bool(programme and programme.is_demo),
        **extra,
    }


def _year_themes(region: Region, year: int):  # type: ignore[no-untyped-def]
    return Theme.objects.filter(
        summit__region=region, summit__date__year=year, merged_into__isnull=True
    ).order_by("title")


@require_http_methods(GET)
def work_programme_latest(request: HttpRequest, gss_code: str) -> HttpResponse:
    region = _region(request, gss_code)
    years = selectors.work_programme_years(
        region=region,
        published_only=not request.user.has_perm("peerchallenge.view_draft_work_programme", region),
    )
    return redirect(
        "themes:work-programme",
        gss_code=region.gss_code,
        year=years[0] if years else timezone.localdate().year,
    )


@require_http_methods([*GET, "POST"])
def work_programme(request: HttpRequest, gss_code: str, year: int) -> HttpResponse:
    """The region's work programme for a year; POST adds an item (SLI lead, coordinator)."""
    region = _region(request, gss_code)
    year = _year(year)
    form = None
    if request.user.has_perm("peerchallenge.change_work_programme", region):
        form = WorkItemForm(request.POST or None, themes=_year_themes(region, year))
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            programme = services.work_programme_get_or_create(region=region, year=year)
            data = form.cleaned_data
            item = services.work_item_create(
                programme=programme,
                title=data["title"],
                why=data["why"],
                lead=data["lead"],
                priority=data["priority"],
                due_date=data["due_date"],
                themes=list(data["themes"]),
            )
            messages.success(request, f"“{item.title}” added as proposed.")
            return redirect("themes:work-programme", gss_code=region.gss_code, year=year)
        return render(
            request,
            "peerchallenge/themes/work_programme.html",
            _programme_context(request, region, year, form=form),
            status=400,
        )
    return render(
        request,
        "peerchallenge/themes/work_programme.html",
        _programme_context(request, region, year, form=form),
    )


@require_POST
def work_programme_publish(request: HttpRequest, gss_code: str, year: int) -> HttpResponse:
    region = _region(request, gss_code, perm="peerchallenge.change_work_programme")
    year = _year(year)
    programme = services.work_programme_get_or_create(region=region, year=year)
    published = request.POST.get("published", "1") != "0"
    services.work_programme_publish(programme=programme, published=published)
    messages.success(
        request,
        "Work programme published to the region's councils." if published else "Work programme unpublished.",
    )
    return redirect("themes:work-programme", gss_code=region.gss_code, year=year)


def _item(request: HttpRequest, region: Region, year: int, item_pk: int) -> WorkItem:
    item = get_object_or_404(
        WorkItem.objects.select_related("programme__region"),
        pk=item_pk,
        programme__region=region,
        programme__year=year,
    )
    if not item.programme.is_published and not request.user.has_perm(
        "peerchallenge.view_draft_work_programme", region
    ):
        raise Http404("No such item")
    return item


@require_http_methods([*GET, "POST"])
def work_item(request: HttpRequest, gss_code: str, year: int, item_pk: int) -> HttpResponse:
    """One item with its dated updates; POST edits it."""
    region = _region(request, gss_code)
    item = _item(request, region, _year(year), item_pk)
    can_edit = request.user.has_perm("peerchallenge.change_work_programme", region)
    form = (
        WorkItemForm(request.POST or None, instance=item, themes=_year_themes(region, year))
        if can_edit
        else None
    )
    update_form = WorkUpdateForm(item=item) if can_edit else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(request, "Item saved.")
            return redirect(_item_url(item))
        status = 400
    return _item_page(request, item, form=form, update_form=update_form, status=status)


def _item_page(request: HttpRequest, item: WorkItem, *, form, update_form, status: int) -> HttpResponse:  # type: ignore[no-untyped-def]
    return render(
        request,
        "peerchallenge/themes/work_item.html",
        {
            "item": item,
            "region": item.programme.region,
            "year": item.programme.year,
            "themes": list(item.themes.select_related("summit").order_by("title")),
            "updates": list(item.updates.select_related("by")),
            "form": form,
            "update_form": update_form,
            "shows_demo_data": item.is_demo,
        },
        status=status,
    )


@require_POST
def work_item_update(request: HttpRequest, gss_code: str, year: int, item_pk: int) -> HttpResponse:
    region = _region(request, gss_code, perm="peerchallenge.change_work_programme")
    item = _item(request, region, _year(year), item_pk)
    update_form = WorkUpdateForm(request.POST, item=item)
    if update_form.is_valid():
        try:
            services.work_item_update(
                item=item,
                text=update_form.cleaned_data["text"],
                status=update_form.cleaned_data["status"],
                by=request.user,
            )
        except services.ThemeError as exc:
            update_form.add_error("text", str(exc))
        else:
            messages.success(request, "Update added.")
            return redirect(_item_url(item))
    form = WorkItemForm(instance=item, themes=_year_themes(region, item.programme.year))
    return _item_page(request, item, form=form, update_form=update_form, status=400)


def _export_rows(request: HttpRequest, region: Region, year: int) -> tuple[list[str], list[list]]:
    context = _programme_context(request, region, year)
    return exports.work_programme_rows(items=context["items"])


@require_http_methods(GET)
def work_programme_export(request: HttpRequest, gss_code: str, year: int, fmt: str) -> HttpResponse:
    region = _region(request, gss_code)
    year = _year(year)
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    headers, rows = _export_rows(request, region, year)
    return export_response(
        export_format=fmt,
        headers=headers,
        rows=rows,
        filename=f"work-programme-{region.name}-{year}",
        sheet_title=f"Work programme {year}",
    )


@require_http_methods(GET)
def work_programme_docx(request: HttpRequest, gss_code: str, year: int) -> HttpResponse:
    region = _region(request, gss_code)
    year = _year(year)
    context = _programme_context(request, region, year)
    body = docx_export.work_programme_docx(
        region=region,
        year=year,
        summit_themes=context["summit_themes"],
        items=context["items"],
        is_demo=bool(context["programme"] and context["programme"].is_demo)
        or any(t.is_demo for _, themes in context["summit_themes"] for t in themes),
    )
    return docx_response(body, filename=f"common-themes-{region.gss_code}-{year}")


# --- Findings and follow-up -----------------------------------------------------------------------------------


@require_http_methods(GET)
def findings(request: HttpRequest, pk: int) -> HttpResponse:
    """Key findings and recommendations per challenged council; councils see only their own."""
    summit = get_object_or_404(Summit.objects.select_related("region"), pk=pk)
    sees_all = request.user.has_perm("peerchallenge.view_findings", summit)  # regional roles and admins
    if not sees_all and not request.user.has_perm("peerchallenge.view_themes", summit):
        raise Http404("No such summit")
    rows = selectors.findings_for_summit(summit=summit)
    if not sees_all:
        rows = [f for f in rows if request.user.has_perm("peerchallenge.view_findings", f)]
    can_edit = request.user.has_perm("peerchallenge.change_findings", summit)
    return render(
        request,
        "peerchallenge/themes/findings.html",
        {
            "summit": summit,
            "findings": rows,
            "can_edit": can_edit,
            "councils": list(summit.participants.order_by("name")) if can_edit else [],
            "with_findings": {f.council_id for f in rows if f.key_findings.strip()},
            "shows_demo_data": any(f.is_demo for f in rows),
        },
    )


@require_http_methods([*GET, "POST"])
def finding_edit(request: HttpRequest, pk: int, gss_code: str) -> HttpResponse:
    summit = get_object_or_404(Summit.objects.select_related("region"), pk=pk)
    if not request.user.has_perm("peerchallenge.view_findings", summit):
        raise Http404("No such summit")
    if not request.user.has_perm("peerchallenge.change_findings", summit):
        raise PermissionDenied
    council = get_object_or_404(Council, gss_code=gss_code.strip().upper()[:12], summits=summit)
    finding = SessionFinding.objects.filter(summit=summit, council=council).first()
    published = LessonLearnt.objects.filter(summit=summit, host=council).exists()
    form = FindingForm(
        request.POST or None,
        initial={"key_findings": finding.key_findings if finding else "", "publish_as_lesson": published},
    )
    if request.method == "POST" and form.is_valid():
        services.finding_save(
            summit=summit,
            council=council,
            key_findings=form.cleaned_data["key_findings"],
            recommendations=form.cleaned_data["recommendations"].splitlines(),
            publish_as_lesson=form.cleaned_data["publish_as_lesson"],
        )
        messages.success(request, f"Findings for {council.name} saved.")
        return redirect("themes:findings", pk=summit.pk)
    return render(
        request,
        "peerchallenge/themes/finding_form.html",
        {
            "summit": summit,
            "council": council,
            "finding": finding,
            "form": form,
            "recommendations": list(finding.recommendations.all()) if finding else [],
            "follow_up_form": FollowUpForm(),
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
def recommendation_follow_up(request: HttpRequest, pk: int, rec_pk: int) -> HttpResponse:
    summit = get_object_or_404(Summit.objects.select_related("region"), pk=pk)
    if not request.user.has_perm("peerchallenge.view_findings", summit):
        raise Http404("No such summit")
    if not request.user.has_perm("peerchallenge.change_findings", summit):
        raise PermissionDenied
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("finding__council"), pk=rec_pk, finding__summit=summit
    )
    form = FollowUpForm(request.POST)
    if form.is_valid():
        services.recommendation_follow_up(
            recommendation=recommendation,
            status=form.cleaned_data["follow_up"],
            note=form.cleaned_data["follow_up_note"],
        )
        messages.success(request, "Follow-up saved.")
    else:
        messages.error(request, "Choose the status at six months.")
    return redirect("themes:finding-edit", pk=summit.pk, gss_code=recommendation.finding.council.gss_code)
