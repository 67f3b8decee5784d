"""Import pages: history, upload with a dry-run preview, confirm, and the local-measures template.

An upload is stored privately under ``var/uploads/<sha256><ext>`` (never served), previewed with the
import service in dry-run mode, and only written when the user confirms the preview with a POST.
"""

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.views.decorators.http import require_http_methods
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from councils.pagination import BoundedPaginator
from scorecard.forms import ImportUploadForm
from scorecard.models import ImportRecord
from scorecard.periods import period_label
from scorecard.tables import ImportRecordTable

logger = logging.getLogger(__name__)

PERMISSION = "councils.import_data"
PROBLEMS_SHOWN = 50
UPLOAD_KINDS = (ImportRecord.Kind.ASCOF, ImportRecord.Kind.LOCAL)


def _require_import_permission(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def upload_dir() -> Path:
    """The private upload directory (created on first use): ``settings.IMPORT_UPLOAD_DIR`` if set, else
    ``BASE_DIR/var/uploads``. Never under STATIC_ROOT or MEDIA_ROOT, so uploads are not served."""
    configured = getattr(settings, "IMPORT_UPLOAD_DIR", None)
    directory = Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "uploads"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _stored_path(sha256: str, file_name: str) -> Path:
    suffix = Path(file_name).suffix.lower()
    return upload_dir() / f"{sha256}{suffix if suffix in ('.csv', '.xlsx') else ''}"


def _store_upload(upload) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    """Save an uploaded file under its SHA-256; return the path and the hash."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    path = _stored_path(sha256, upload.name)
    if not path.exists():
        partial = path.with_name(path.name + ".part")
        with partial.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        partial.replace(path)
    return path, sha256


def _run_import(  # type: ignore[no-untyped-def]
    *,
    kind: str,
    path: Path,
    file_name: str,
    year: str | None,
    dry_run: bool,
    user,
    skip_unknown_measures: bool = False,
):
    from scorecard.imports import ascof_import, measures_import

    if kind == ImportRecord.Kind.ASCOF:
        return ascof_import(
            path=path,
            file_name=file_name,
            year=year,
            dry_run=dry_run,
            user=user,
            skip_unknown_measures=skip_unknown_measures,
        )
    return measures_import(path=path, file_name=file_name, dry_run=dry_run, user=user)


@require_http_methods(["GET", "HEAD"])
def import_list(request: HttpRequest) -> HttpResponse:
    _require_import_permission(request)
    table = ImportRecordTable(ImportRecord.objects.select_related("imported_by"))
    RequestConfig(request, paginate={"per_page": 50, "paginator_class": BoundedPaginator}).configure(table)
    export_format = request.GET.get("_export")
    if export_format in ("csv", "xlsx"):
        return TableExport(export_format, table).response(f"import-history.{export_format}")
    return render(request, "scorecard/imports/import_list.html", {"table": table})


@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_import_permission(request)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            kind = form.cleaned_data["kind"]
            start_year = form.cleaned_data["year"]
            year = period_label(start_year) if start_year else None
            skip_unknown = form.cleaned_data["skip_unknown_measures"]
            path, sha256 = _store_upload(upload)
            try:
                outcome = _run_import(
                    kind=kind,
                    path=path,
                    file_name=upload.name,
                    year=year,
                    dry_run=True,
                    user=request.user,
                    skip_unknown_measures=skip_unknown,
                )
            except Exception:
                # The import services report problems rather than raise; this is the last safety net.
                logger.exception("Preview of %s failed", upload.name)
                form.add_error(
                    "file", "The selected file could not be read. Check it is a valid CSV or .xlsx file"
                )
            else:
                record = outcome.record
                record.summary = {
                    **(record.summary or {}),
                    "upload": {
                        "stored_as": path.name,
                        "sha256": sha256,
                        "year": year,
                        "skip_unknown_measures": skip_unknown,
                    },
                }
                record.save(update_fields=["summary"])
                return redirect("scorecard:import-detail", pk=record.pk)
    else:
        form = ImportUploadForm()
    context = {"form": form, "max_size": filesizeformat(settings.IMPORT_MAX_BYTES)}
    return render(request, "scorecard/imports/import_upload.html", context)


def _upload_info(record: ImportRecord) -> dict:
    return (record.summary or {}).get("upload") or {}


def _can_confirm(record: ImportRecord) -> bool:
    info = _upload_info(record)
    return (
        record.status == ImportRecord.Status.PREVIEWED
        and record.problem_count == 0
        and record.kind in UPLOAD_KINDS
        and bool(info.get("stored_as"))
        and not (record.summary or {}).get("applied_record")
    )


@require_http_methods(["GET", "HEAD"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_import_permission(request)
    record = get_object_or_404(ImportRecord.objects.select_related("imported_by"), pk=pk)
    summary = record.summary or {}
    applied_pk = summary.get("applied_record")
    context = {
        "record": record,
        "problems": (record.problems or [])[:PROBLEMS_SHOWN],
        "more_problems": max(record.problem_count - PROBLEMS_SHOWN, 0),
        "skipped_reasons": summary.get("skipped_reasons") or {},
        "can_confirm": _can_confirm(record),
        "applied_record": ImportRecord.objects.filter(pk=applied_pk).first() if applied_pk else None,
        "year": _upload_info(record).get("year"),
        "demo_values_deleted": summary.get("demo_values_deleted") or 0,
    }
    return render(request, "scorecard/imports/import_detail.html", context)


@require_http_methods(["POST"])
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _require_import_permission(request)
    with transaction.atomic():
        preview = get_object_or_404(ImportRecord.objects.select_for_update(), pk=pk)
        if not _can_confirm(preview):
            messages.error(
                request, "This preview cannot be imported: it has problems or was imported already."
            )
            return redirect("scorecard:import-detail", pk=preview.pk)
        info = _upload_info(preview)
        path = upload_dir() / Path(info["stored_as"]).name
        if not path.exists():
            messages.error(request, "The uploaded file is no longer available. Upload it again.")
            return redirect("scorecard:import-detail", pk=preview.pk)
        outcome = _run_import(
            kind=preview.kind,
            path=path,
            file_name=preview.file_name,
            year=info.get("year"),
            dry_run=False,
            user=request.user,
            skip_unknown_measures=bool(info.get("skip_unknown_measures")),
        )
        record = outcome.record
        if outcome.ok:
            preview.summary = {**(preview.summary or {}), "applied_record": record.pk}
            preview.save(update_fields=["summary"])
    if outcome.ok:
        messages.success(
            request,
            f"{record.file_name} imported: {outcome.created} values created, {outcome.updated} updated, "
            f"{outcome.unchanged} unchanged.",
        )
    else:
        messages.error(request, "The import failed and nothing was written. See the problems below.")
    return redirect("scorecard:import-detail", pk=record.pk)


@require_http_methods(["GET", "HEAD"])
def import_template(request: HttpRequest) -> HttpResponse:
    _require_import_permission(request)
    from scorecard.imports import measures_template_xlsx

    content = measures_template_xlsx()
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="local-measures-template.xlsx"'
    return response
