"""Pages for challenge packs and question sets. Thin: reads in selectors, writes in services, rules decide.

Every page answers 404 when the user may not see the summit (other regions learn nothing) and 403 when they
may see the summit but not this pack or question set.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import DOCX_CONTENT_TYPE
from councils.models import Council
from peerchallenge.models import Summit
from peerchallenge.packs import selectors, services
from peerchallenge.packs.forms import BankQuestionForm, PackOnDemandForm
from peerchallenge.packs.models import (
    QUESTION_LIMIT,
    TOP_QUESTIONS,
    PackBuild,
    Question,
    QuestionBankItem,
    QuestionSet,
)
from peerchallenge.selectors import period_gaps, summit_period
from scorecard.models import Domain, Period
from scorecard.periods import period_has_demo_figures

GET = ["GET", "HEAD"]


def _summit(request: HttpRequest, pk: int) -> Summit:
    summit = get_object_or_404(Summit.objects.select_related("region", "cycle__period", "period"), pk=pk)
    if not request.user.has_perm("peerchallenge.view_summit", summit):
        raise Http404("No such summit")
    return summit


def _session(summit: Summit, gss_code: str) -> selectors.Session:
    session = next(
        (s for s in selectors.summit_sessions(summit=summit) if s.challenged.gss_code == gss_code), None
    )
    if session is None:
        raise Http404("That council is not challenged at this summit")
    return session


def _question_set_object(summit: Summit, session: selectors.Session) -> QuestionSet:
    """The saved set, or an unsaved one standing for it (the permission object before it is started)."""
    found = selectors.question_set_get(
        summit=summit, challenger=session.challenger, challenged=session.challenged
    )
    return found or QuestionSet(summit=summit, challenger=session.challenger, challenged=session.challenged)


@require_http_methods(GET)
def summit_packs(request: HttpRequest, pk: int) -> HttpResponse:
    summit = _summit(request, pk)
    sessions = selectors.packs_for_user(user=request.user, summit=summit)
    can_build = request.user.has_perm("peerchallenge.build_packs", summit)
    saved = selectors.question_sets_of(summit=summit)
    rows = []
    for session in sessions:
        question_set = saved.get((session.challenger.pk, session.challenged.pk)) or QuestionSet(
            summit=summit, challenger=session.challenger, challenged=session.challenged
        )
        rows.append(
            {
                "session": session,
                "can_read_questions": request.user.has_perm("peerchallenge.view_questionset", question_set),
            }
        )
    build = PackBuild.objects.filter(summit=summit).first() if can_build else None
    period = summit_period(summit=summit)
    cycle_period = summit.cycle.period if summit.cycle else None
    gaps = period_gaps(
        period=period,
        councils=[s.challenged for s in sessions],
        cycle_period=cycle_period if cycle_period != period else None,
    )
    return render(
        request,
        "peerchallenge/packs/summit_packs.html",
        {
            "summit": summit,
            "rows": rows,
            "can_build": can_build,
            "build": build,
            "status": services.pack_build_status(build=build) if build else None,
            "period": period,
            "cycle_period": cycle_period,
            "gaps": gaps,
            "figures_are_demo": period_has_demo_figures(period=period),
            "shows_demo_data": period_has_demo_figures(period=period),
        },
    )


@dataclass(frozen=True)
class _PackRequest:
    """One pack a user asked for: in a summit (``summit``) or on demand (``summit`` None, ``period``), and
    the names and arguments of its three URLs (PDF, DOCX, waiting page)."""

    council: Council
    summit: Summit | None
    target: services.PackTarget
    route: str  # "pack" (in a summit) or "council-pack" (on demand)
    kwargs: dict

    def url(self, kind: str) -> str:
        return reverse(f"peerchallenge:{self.route}-{kind}", kwargs=self.kwargs)


def _pack_request(request: HttpRequest, pk: int, gss_code: str) -> _PackRequest:
    summit = _summit(request, pk)
    session = _session(summit, gss_code)
    subject = selectors.PackSubject(council=session.challenged, summit=summit)
    if not request.user.has_perm("peerchallenge.view_pack", subject):  # type: ignore[arg-type]  # rules: any object
        raise PermissionDenied
    include = request.user.has_perm("peerchallenge.view_questionset", _question_set_object(summit, session))
    target = services.pack_target(council=session.challenged, summit=summit, include_questions=include)
    kwargs = {"pk": pk, "gss_code": gss_code}
    return _PackRequest(session.challenged, summit, target, "pack", kwargs)


def _pack_on_demand_request(request: HttpRequest, gss_code: str, period: str) -> _PackRequest:
    """A pack outside a summit: its questions are the ones generated from the triggers and the bank."""
    council = get_object_or_404(Council.objects.select_related("region"), gss_code=gss_code)
    subject = selectors.PackSubject(council=council)
    if not request.user.has_perm("peerchallenge.view_pack", subject):  # type: ignore[arg-type]  # rules: any object
        raise PermissionDenied
    found = get_object_or_404(Period, label=period)
    target = services.pack_target(council=council, period=found)
    kwargs = {"gss_code": gss_code, "period": period}
    return _PackRequest(council, None, target, "council-pack", kwargs)


def _pack_or_wait(wanted: _PackRequest, kind: str) -> HttpResponseBase:
    """The file when the pack is built; otherwise its build is enqueued and the waiting page shown."""
    files = services.pack_files_get(target=wanted.target)
    if files is None:
        services.pack_one_start(target=wanted.target)
        files = services.pack_files_get(target=wanted.target)  # a worker may already have built it
    if files is None:
        return redirect(f"{wanted.url('preparing')}?file={kind}")
    if kind == "docx":
        return _download(files.docx, files.docx_download_name, DOCX_CONTENT_TYPE)
    return _download(files.pdf, files.pdf_download_name, "application/pdf")


def _download(name: str, download_name: str, content_type: str) -> FileResponse:
    response = FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=download_name)
    response["Content-Type"] = content_type
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(GET)
def pack_pdf(request: HttpRequest, pk: int, gss_code: str) -> HttpResponseBase:
    return _pack_or_wait(_pack_request(request, pk, gss_code), "pdf")


@require_http_methods(GET)
def pack_docx(request: HttpRequest, pk: int, gss_code: str) -> HttpResponseBase:
    return _pack_or_wait(_pack_request(request, pk, gss_code), "docx")


@require_http_methods([*GET, "POST"])
def pack_preparing(request: HttpRequest, pk: int, gss_code: str) -> HttpResponse:
    return _preparing(request, _pack_request(request, pk, gss_code))


def _kind(request: HttpRequest) -> str:
    return "docx" if request.GET.get("file") == "docx" else "pdf"


def _preparing(request: HttpRequest, wanted: _PackRequest) -> HttpResponse:
    """Waits for one pack's background build: refreshes itself (no JavaScript), then sends the file; POST
    tries again. Its script reads the status (``_pack_status``), which never redirects."""
    kind = _kind(request)
    if request.GET.get("format") == "json":  # the address the page's script polled before it had its own
        return _pack_status(request, wanted)
    download = wanted.url(kind)
    if services.pack_files_get(target=wanted.target) is not None:
        return redirect(download)
    if request.method == "POST":
        services.pack_one_start(target=wanted.target, again=True)
        return redirect(f"{request.path}?file={kind}")
    wait = services.pack_one_state(target=wanted.target)
    if wait is None:  # nothing on its way (the cache was cleared, or the build finished and was replaced)
        wait = services.pack_one_start(target=wanted.target)
        if services.pack_files_get(target=wanted.target) is not None:
            return redirect(download)
    waited = max(int(time.time() - wait.since), 0)
    context = {
        "summit": wanted.summit,
        "council": wanted.council,
        "period": wanted.target.period,
        "kind": kind,
        "status_url": f"{wanted.url('status')}?file={kind}",
        "wait": wait,
        "waited": waited,
        "offer_again": waited >= services.OFFER_AGAIN_AFTER.total_seconds(),
        "shows_demo_data": selectors.pack_data_is_demo(council=wanted.council, period=wanted.target.period),
    }
    return render(request, "peerchallenge/packs/pack_preparing.html", context)


PACK_STATE_MESSAGES = {
    "building": (
        "It is being built in the background and usually takes a few seconds. This page checks every few "
        "seconds and the download starts when it is ready."
    ),
    "ready": "It is ready: your download has started.",
    "failed": "It could not be built.",
}


def _pack_status(request: HttpRequest, wanted: _PackRequest) -> JsonResponse:
    """Where one pack's build has got, for the waiting page's script: ``state`` is "building", "ready" or
    "failed"; ``url`` is the file to download once ready, or the waiting page (which says what failed and
    offers to try again). Never a redirect and never the file: a script cannot read either. A build that
    is neither on its way nor done (its record expired) is started, as the waiting page would."""
    kind = _kind(request)
    download = wanted.url(kind)
    state = "ready"
    if services.pack_files_get(target=wanted.target) is None:
        wait = services.pack_one_state(target=wanted.target) or services.pack_one_start(target=wanted.target)
        if services.pack_files_get(target=wanted.target) is None:
            state = "failed" if wait.state == "failed" else "building"
    url = f"{wanted.url('preparing')}?file={kind}" if state == "failed" else download
    response = JsonResponse(
        {
            "state": state,
            "finished": state != "building",
            "url": url,
            "download": download,
            "message": PACK_STATE_MESSAGES[state],
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(GET)
def pack_status(request: HttpRequest, pk: int, gss_code: str) -> JsonResponse:
    return _pack_status(request, _pack_request(request, pk, gss_code))


@require_http_methods(GET)
def council_pack_status(request: HttpRequest, gss_code: str, period: str) -> JsonResponse:
    return _pack_status(request, _pack_on_demand_request(request, gss_code, period))


# --- Packs outside a summit -------------------------------------------------------------------------------


@require_http_methods(GET)
def packs_on_demand(request: HttpRequest) -> HttpResponse:
    """Choose a council and a period; the page then offers that pack and its pro-forma (built in the
    background on first download, as a summit's are)."""
    councils = selectors.pack_councils_for_user(user=request.user)
    periods = selectors.pack_periods()
    form = PackOnDemandForm(
        request.GET if "council" in request.GET else None, councils=councils, periods=periods
    )
    context: dict[str, Any] = {"form": form, "chosen": None, "councils": councils, "periods": periods}
    if form.is_bound and form.is_valid():
        council = next(c for c in councils if c.gss_code == form.cleaned_data["council"])
        period = next(p for p in periods if p.label == form.cleaned_data["period"])
        gaps = period_gaps(period=period, councils=[council])
        context["gaps"] = gaps
        if gaps and not form.cleaned_data["confirm"]:
            form.add_error(
                "confirm",
                f"{council.name} has no figures for {period.label}: confirm that you want this year, "
                "or choose another",
            )
            return render(request, "peerchallenge/packs/on_demand.html", context, status=400)
        context["chosen"] = {"council": council, "period": period.label}
        context["shows_demo_data"] = selectors.pack_data_is_demo(council=council, period=period)
    return render(request, "peerchallenge/packs/on_demand.html", context)


@require_http_methods(GET)
def council_pack_pdf(request: HttpRequest, gss_code: str, period: str) -> HttpResponseBase:
    return _pack_or_wait(_pack_on_demand_request(request, gss_code, period), "pdf")


@require_http_methods(GET)
def council_pack_docx(request: HttpRequest, gss_code: str, period: str) -> HttpResponseBase:
    return _pack_or_wait(_pack_on_demand_request(request, gss_code, period), "docx")


@require_http_methods([*GET, "POST"])
def council_pack_preparing(request: HttpRequest, gss_code: str, period: str) -> HttpResponse:
    return _preparing(request, _pack_on_demand_request(request, gss_code, period))


# --- Building every pack of a summit ---------------------------------------------------------------------


def _build_summit(request: HttpRequest, pk: int) -> Summit:
    summit = _summit(request, pk)
    if not request.user.has_perm("peerchallenge.build_packs", summit):
        raise PermissionDenied
    return summit


@require_POST
def pack_build(request: HttpRequest, pk: int) -> HttpResponse:
    summit = _build_summit(request, pk)
    if not selectors.summit_sessions(summit=summit):
        messages.error(request, "Pair the councils before building packs.")
        return redirect("peerchallenge:summit-packs", pk=summit.pk)
    services.pack_build_start(summit=summit, user=request.user)
    messages.success(request, "Building the packs in the background: this page shows how far it has got.")
    return redirect("peerchallenge:summit-packs", pk=summit.pk)


def _build(request: HttpRequest, pk: int, build_pk: int) -> PackBuild:
    summit = _build_summit(request, pk)
    return get_object_or_404(PackBuild, pk=build_pk, summit=summit)


@require_http_methods(GET)
def pack_build_status(request: HttpRequest, pk: int, build_pk: int) -> JsonResponse:
    build = _build(request, pk, build_pk)
    status = services.pack_build_status(build=build)
    status["url"] = reverse("peerchallenge:summit-packs", kwargs={"pk": pk})
    response = JsonResponse(status)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(GET)
def pack_build_zip(request: HttpRequest, pk: int, build_pk: int) -> FileResponse:
    build = _build(request, pk, build_pk)
    if (
        build.state != PackBuild.State.DONE
        or not build.file_name
        or not default_storage.exists(build.file_name)
    ):
        raise Http404("The packs are not ready")
    return _download(build.file_name, services.summit_zip_name(summit=build.summit), "application/zip")


# --- The question set ------------------------------------------------------------------------------------


def _question(question_set: QuestionSet, value: str | None) -> Question:
    try:
        return question_set.questions.get(pk=int(value or ""))
    except (ValueError, Question.DoesNotExist) as error:
        raise Http404("No such question") from error


def _domain(value: str | None) -> Domain | None:
    if not value or not value.isdigit() or len(value) > 9:  # a database integer, whatever was sent
        return None
    return Domain.objects.filter(pk=int(value)).first()


@require_http_methods([*GET, "POST"])
def question_set(request: HttpRequest, pk: int, gss_code: str) -> HttpResponse:
    summit = _summit(request, pk)
    session = _session(summit, gss_code)
    current = _question_set_object(summit, session)
    if not request.user.has_perm("peerchallenge.view_questionset", current):
        raise PermissionDenied
    can_edit = request.user.has_perm("peerchallenge.change_questionset", current)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            message = _question_set_change(
                request, summit=summit, session=session, current=current, action=action
            )
        except _BadRequest as error:
            return HttpResponse(str(error), status=400)
        except services.QuestionSetError as error:
            field = {"add": "text-new", "arrange": "arrange"}.get(action, "text")
            errors.append((field, str(error)))
        else:
            if message:
                messages.success(request, message)
            return redirect("peerchallenge:question-set", pk=summit.pk, gss_code=gss_code)
        current = _question_set_object(summit, session)
    return _question_set_page(
        request, summit=summit, session=session, current=current, can_edit=can_edit, errors=errors
    )


class _BadRequest(Exception):
    """A POST no form on the page sends (no question set yet, an unknown action): answered 400."""


QUESTION_ACTIONS = {"start", "add", "edit", "delete", "up", "down", "top", "untop", "arrange"}
POSITION_LIMIT = 999


def _arrangement(post) -> tuple[dict[int, int], set[int]]:  # type: ignore[no-untyped-def]
    """The places typed (``place-<id>``) and the questions ticked as top five (``top``), from a POST."""
    positions = {}
    for name, value in post.items():
        if not name.startswith("place-"):
            continue
        key, typed = name.removeprefix("place-"), value.strip()
        if not (key.isdigit() and len(key) <= 9):
            raise _BadRequest("Unknown question.")
        if not typed:
            continue
        if not (typed.isdigit() and 1 <= int(typed) <= POSITION_LIMIT):
            raise services.QuestionSetError(
                f"Type each question's place as a number, for example 1, not “{typed[:10]}”."
            )
        positions[int(key)] = int(typed)
    top = {int(v) for v in post.getlist("top") if v.isdigit() and len(v) <= 9}
    return positions, top


def _question_set_change(request: HttpRequest, *, summit, session, current, action: str) -> str | None:  # type: ignore[no-untyped-def]
    """Apply one edit of the question set; the success message to show, if any."""
    post, user = request.POST, request.user
    if action not in QUESTION_ACTIONS:
        raise _BadRequest("Unknown action.")
    if action == "start":
        services.question_set_get_or_create(
            summit=summit, challenger=session.challenger, challenged=session.challenged, user=user
        )
        return "Question set started from the data and the question bank."
    if current.pk is None:
        raise _BadRequest("Start the question set first.")
    text, evidence, domain = post.get("text", ""), post.get("evidence", ""), _domain(post.get("domain"))
    if action == "arrange":
        positions, top = _arrangement(post)
        services.question_set_arrange(question_set=current, positions=positions, top=top, user=user)
        return f"Order saved; {len(top)} of 5 marked as your top five."
    if action == "add":
        services.question_add(question_set=current, user=user, text=text, evidence=evidence, domain=domain)
        return "Question added."
    question = _question(current, post.get("question"))
    if action == "edit":
        services.question_edit(question=question, user=user, text=text, evidence=evidence, domain=domain)
        return "Question saved."
    if action == "delete":
        services.question_delete(question=question, user=user)
        return "Question deleted."
    if action in ("up", "down"):
        services.question_move(question=question, up=action == "up", user=user)
    else:
        services.question_top_set(question=question, top=action == "top", user=user)
    return None


def _question_set_page(  # type: ignore[no-untyped-def]
    request: HttpRequest, *, summit, session, current, can_edit: bool, errors
) -> HttpResponse:
    questions = selectors.questions_of(question_set=current) if current.pk else []
    _arrange_values(questions, request.POST if errors else None)
    editing = None
    if can_edit and request.GET.get("edit"):
        editing = next((q for q in questions if str(q.pk) == request.GET.get("edit")), None)
    subject = selectors.PackSubject(council=session.challenged, summit=summit)
    figures_are_demo = period_has_demo_figures(period=summit_period(summit=summit))
    return render(
        request,
        "peerchallenge/packs/question_set.html",
        {
            "summit": summit,
            "session": session,
            "question_set": current,
            "questions": questions,
            "can_edit": can_edit,
            "editing": editing,
            "errors": errors,
            "field_errors": {field.replace("-", "_"): message for field, message in errors},
            "top_defaults": not any(q.is_top for q in questions),
            "top_limit": TOP_QUESTIONS,
            "form_data": request.POST if errors else {},
            "domains": list(Domain.objects.all()),
            "limit": QUESTION_LIMIT,
            "top_count": sum(q.is_top for q in questions),
            "shows_demo_data": figures_are_demo or any(q.quotes_demo_figures for q in questions),
            "figures_are_demo": figures_are_demo,
            "quoting_demo": sum(q.quotes_demo_figures for q in questions),
            "pack_subject_visible": request.user.has_perm("peerchallenge.view_pack", subject),  # type: ignore[arg-type]
        },
        status=400 if errors else 200,
    )


def _arrange_values(questions: list[Question], post) -> None:  # type: ignore[no-untyped-def]
    """What the reorder form shows for each question: its place and whether it is ticked as top five (what
    was sent, when the page comes back with an error; the first five ticked when none is marked yet)."""
    none_marked = not any(q.is_top for q in questions)
    for place, question in enumerate(questions, start=1):
        # Attributes for the template only, never saved: set by name, as the model does not declare them.
        if post is not None and post.get("action") == "arrange":
            setattr(question, "place_value", post.get(f"place-{question.pk}", str(place))[:10])  # noqa: B010
            setattr(question, "top_checked", str(question.pk) in post.getlist("top"))  # noqa: B010
        else:
            setattr(question, "place_value", str(place))  # noqa: B010
            setattr(question, "top_checked", question.is_top or (none_marked and place <= TOP_QUESTIONS))  # noqa: B010


@require_http_methods([*GET, "POST"])
def question_bank(request: HttpRequest, pk: int) -> HttpResponse:
    """The template questions of the summit's self-assessment cycle, by domain: every question set of the
    cycle's summits starts with them. The region's coordinator keeps them (add, delete)."""
    summit = _summit(request, pk)
    if not request.user.has_perm("peerchallenge.build_packs", summit):
        raise PermissionDenied
    form = BankQuestionForm()
    status = 200
    if request.method == "POST" and summit.cycle is not None:
        if request.POST.get("action") == "delete":
            item = get_object_or_404(QuestionBankItem, pk=_int(request.POST.get("item")), cycle=summit.cycle)
            services.bank_question_delete(item=item)
            messages.success(request, "Question removed from the bank.")
            return redirect("peerchallenge:question-bank", pk=summit.pk)
        form = BankQuestionForm(request.POST)
        if form.is_valid():
            services.bank_question_add(
                cycle=summit.cycle, domain=form.cleaned_data["domain"], text=form.cleaned_data["text"]
            )
            messages.success(request, "Question added to the bank.")
            return redirect("peerchallenge:question-bank", pk=summit.pk)
        status = 400
    elif request.method == "POST":
        return HttpResponse("This summit has no self-assessment cycle, so no question bank.", status=400)
    items = selectors.question_bank(cycle=summit.cycle) if summit.cycle is not None else []
    domains = [(d, [i for i in items if i.domain_id == d.pk]) for d in Domain.objects.all()]
    return render(
        request,
        "peerchallenge/packs/question_bank.html",
        {"summit": summit, "form": form, "domains": domains, "count": len(items)},
        status=status,
    )


def _int(value: str | None) -> int:
    """A database id from a form field, or 0 (no such row) for anything else."""
    return int(value) if value and value.isdigit() and len(value) <= 9 else 0
