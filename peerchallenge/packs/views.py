"""Pages for challenge packs and question sets. Thin: reads in selectors, writes in services, rules decide.

Every page answers 404 when the user may not see the summit (other regions learn nothing) and 403 when they
may see the summit but not this pack or question set.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from peerchallenge.models import Summit
from peerchallenge.packs import selectors, services
from peerchallenge.packs.models import QUESTION_LIMIT, PackBuild, Question, QuestionSet
from scorecard.models import Domain

GET = ["GET", "HEAD"]


def _summit(request: HttpRequest, pk: int) -> Summit:
    summit = get_object_or_404(Summit.objects.select_related("region", "cycle__period"), pk=pk)
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
    found = selectors.question_set_get(summit=summit, challenged=session.challenged)
    return found or QuestionSet(summit=summit, challenger=session.challenger, challenged=session.challenged)


@require_http_methods(GET)
def summit_packs(request: HttpRequest, pk: int) -> HttpResponse:
    summit = _summit(request, pk)
    sessions = selectors.packs_for_user(user=request.user, summit=summit)
    can_build = request.user.has_perm("peerchallenge.build_packs", summit)
    rows = []
    for session in sessions:
        question_set = _question_set_object(summit, session)
        rows.append(
            {
                "session": session,
                "can_read_questions": request.user.has_perm("peerchallenge.view_questionset", question_set),
            }
        )
    build = PackBuild.objects.filter(summit=summit).first() if can_build else None
    return render(
        request,
        "peerchallenge/packs/summit_packs.html",
        {
            "summit": summit,
            "rows": rows,
            "can_build": can_build,
            "build": build,
            "status": services.pack_build_status(build=build) if build else None,
            "period": summit.cycle.period if summit.cycle else None,
            "shows_demo_data": summit.is_demo,
        },
    )


def _pack_files(request: HttpRequest, pk: int, gss_code: str) -> services.PackFiles:
    summit = _summit(request, pk)
    session = _session(summit, gss_code)
    subject = selectors.PackSubject(council=session.challenged, summit=summit)
    if not request.user.has_perm("peerchallenge.view_pack", subject):
        raise PermissionDenied
    include = request.user.has_perm("peerchallenge.view_questionset", _question_set_object(summit, session))
    return services.pack_files_get_or_build(
        council=session.challenged, summit=summit, include_questions=include
    )


def _download(name: str, download_name: str, content_type: str) -> FileResponse:
    response = FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=download_name)
    response["Content-Type"] = content_type
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(GET)
def pack_pdf(request: HttpRequest, pk: int, gss_code: str) -> FileResponse:
    files = _pack_files(request, pk, gss_code)
    return _download(files.pdf, files.pdf_download_name, "application/pdf")


@require_http_methods(GET)
def pack_docx(request: HttpRequest, pk: int, gss_code: str) -> FileResponse:
    files = _pack_files(request, pk, gss_code)
    return _download(
        files.docx,
        files.docx_download_name,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


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
    period = build.summit.cycle.period.label if build.summit.cycle else "latest"
    return _download(build.file_name, f"summit-{build.summit.pk}-packs-{period}.zip", "application/zip")


# --- The question set ------------------------------------------------------------------------------------


def _question(question_set: QuestionSet, value: str | None) -> Question:
    try:
        return question_set.questions.get(pk=int(value or ""))
    except (ValueError, Question.DoesNotExist) as error:
        raise Http404("No such question") from error


def _domain(value: str | None) -> Domain | None:
    if not value:
        return None
    try:
        return Domain.objects.filter(pk=int(value)).first()
    except ValueError:
        return None


@require_http_methods([*GET, "POST"])
def question_set(request: HttpRequest, pk: int, gss_code: str) -> HttpResponse:
    summit = _summit(request, pk)
    session = _session(summit, gss_code)
    current = _question_set_object(summit, session)
    if not request.user.has_perm("peerchallenge.view_questionset", current):
        raise PermissionDenied
    can_edit = request.user.has_perm("peerchallenge.change_questionset", current)
    errors: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action", "")
        try:
            if action == "start":
                services.question_set_get_or_create(
                    summit=summit,
                    challenger=session.challenger,
                    challenged=session.challenged,
                    user=request.user,
                )
                messages.success(request, "Question set started from the data and the question bank.")
            elif current.pk is None:
                return HttpResponse("Start the question set first.", status=400)
            elif action == "add":
                services.question_add(
                    question_set=current,
                    text=request.POST.get("text", ""),
                    evidence=request.POST.get("evidence", ""),
                    domain=_domain(request.POST.get("domain")),
                    user=request.user,
                )
                messages.success(request, "Question added.")
            elif action == "edit":
                services.question_edit(
                    question=_question(current, request.POST.get("question")),
                    text=request.POST.get("text", ""),
                    evidence=request.POST.get("evidence", ""),
                    domain=_domain(request.POST.get("domain")),
                    user=request.user,
                )
                messages.success(request, "Question saved.")
            elif action == "delete":
                services.question_delete(
                    question=_question(current, request.POST.get("question")), user=request.user
                )
                messages.success(request, "Question deleted.")
            elif action in ("up", "down"):
                services.question_move(
                    question=_question(current, request.POST.get("question")),
                    up=action == "up",
                    user=request.user,
                )
            elif action in ("top", "untop"):
                services.question_top_set(
                    question=_question(current, request.POST.get("question")),
                    top=action == "top",
                    user=request.user,
                )
            else:
                return HttpResponse("Unknown action.", status=400)
        except services.QuestionSetError as error:
            errors.append(("text-new" if action == "add" else "text", str(error)))
            status = 400
        if not errors:
            return redirect("peerchallenge:question-set", pk=summit.pk, gss_code=gss_code)
        current = _question_set_object(summit, session)
    questions = selectors.questions_of(question_set=current) if current.pk else []
    editing = None
    if can_edit and request.GET.get("edit"):
        editing = next((q for q in questions if str(q.pk) == request.GET.get("edit")), None)
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
            "form_data": request.POST if errors else {},
            "domains": list(Domain.objects.all()),
            "limit": QUESTION_LIMIT,
            "top_count": sum(q.is_top for q in questions),
            "shows_demo_data": summit.is_demo,
            "pack_subject_visible": request.user.has_perm(
                "peerchallenge.view_pack", selectors.PackSubject(council=session.challenged, summit=summit)
            ),
        },
        status=status,
    )
