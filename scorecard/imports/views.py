"""Import pages: history, upload, a checked preview, confirm, progress, and the local-measures template.

Views are thin: the work is in ``scorecard.imports.services`` and runs as background tasks. An upload is
stored privately (never served) until its import record no longer needs it.
"""

import csv
import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from core.pagination import BoundedPaginator
from scorecard.imports import services
from scorecard.imports.forms import ImportUploadForm, MappingChoiceForm, UnknownMeasuresForm
from scorecard.imports.local import measures_template_xlsx
from scorecard.imports.tables import ImportRecordTable
from scorecard.models import ImportRecord
from scorecard.periods import period_label

logger = logging.getLogger(__name__)

PERMISSION = "councils.import_data"
PROBLEMS_SHOWN = 50
CHANGES_SHOWN = 200
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _require_import_permission(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


@require_http_methods(["GET", "HEAD"])
def import_list(request: HttpRequest) -> HttpResponse:
    _require_import_permission(request)
    services.imports_recover()  # the history shows no work as still running whose worker died
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
        form = ImportUploadForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            start_year = form.cleaned_data["year"]
            record = services.import_upload_start(
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                year=period_label(start_year) if start_year else None,
                skip_unknown_measures=form.cleaned_data["skip_unknown_measures"],
                user=request.user,
                only_region=form.only_region(),
            )
            if services.awaits_columns(record):
                return redirect("scorecard:import-columns", pk=record.pk)
            return redirect("scorecard:import-detail", pk=record.pk)
    else:
        form = ImportUploadForm(user=request.user)
    context = {"form": form, "max_size": filesizeformat(settings.IMPORT_MAX_BYTES)}
    return render(request, "scorecard/imports/import_upload.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def import_columns(request: HttpRequest, pk: int) -> HttpResponse:
    """A file of another layout: its first rows, and which column is which (or a saved mapping)."""
    _require_import_permission(request)
    record = get_object_or_404(ImportRecord, pk=pk)
    if not services.awaits_columns(record):  # chosen already, or not a file of another layout
        return redirect("scorecard:import-detail", pk=record.pk)
    columns, rows = services.mapped_first_rows(record=record)
    if request.method == "POST":
        form = MappingChoiceForm(request.POST, columns=columns)
        if form.is_valid() and form.spec is not None:
            services.import_mapping_start(
                record=record,
                spec=form.spec,
                mapping_name=form.cleaned_data["mapping"],
                save_as=form.cleaned_data["save_as"],
                user=request.user,
            )
            return redirect("scorecard:import-detail", pk=record.pk)
    else:
        form = MappingChoiceForm(columns=columns)
    context = {"record": record, "form": form, "columns": columns, "rows": rows}
    return render(request, "scorecard/imports/import_columns.html", context)


@require_http_methods(["GET", "HEAD"])
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_import_permission(request)
    record = get_object_or_404(
        ImportRecord.objects.select_related("imported_by", "preview_of", "only_region"), pk=pk
    )
    if services.awaits_columns(record):
        return redirect("scorecard:import-columns", pk=record.pk)
    return render(request, "scorecard/imports/import_detail.html", _detail_context(request, record))


@require_http_methods(["POST"])
def import_measures(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer the measure codes a preview found that the catalogue lacks (map each, or make a measure of
    it), then check the file again; with a mistake, the preview again with the errors summarised."""
    _require_import_permission(request)
    record = get_object_or_404(
        ImportRecord.objects.select_related("imported_by", "preview_of", "only_region"), pk=pk
    )
    unknown = (record.summary or {}).get("unknown_codes") or []
    form = UnknownMeasuresForm(request.POST, unknown=unknown, user=request.user)
    if not services.awaits_measures(record):
        return redirect("scorecard:import-detail", pk=record.pk)
    if form.is_valid():
        codes, made = form.answers()
        if not services.import_measures_start(
            record=record, codes=codes, new_measures=made, user=request.user
        ):
            messages.error(request, "This file cannot be checked again here: upload it again.")
        return redirect("scorecard:import-detail", pk=record.pk)
    context = _detail_context(request, record, measures_form=form)
    return render(request, "scorecard/imports/import_detail.html", context)


def _detail_context(
    request: HttpRequest, record: ImportRecord, *, measures_form: UnknownMeasuresForm | None = None
) -> dict:
    summary = record.summary or {}
    status = services.import_status(record=record)
    unknown = summary.get("unknown_codes") or []
    if measures_form is None and unknown and services.awaits_measures(record) and record.stored_file:
        measures_form = UnknownMeasuresForm(None, unknown=unknown, user=request.user)
    return {
        "record": record,
        "status": status,
        "problems": (record.problems or [])[:PROBLEMS_SHOWN],
        "more_problems": max(record.problem_count - PROBLEMS_SHOWN, 0),
        "skipped_reasons": summary.get("skipped_reasons") or {},
        "can_confirm": services.can_confirm(record),
        "applied_record": services.applied_record_of(record) if record.confirmed_at else None,
        "year": record.year,
        "demo_values_deleted": summary.get("demo_values_deleted") or 0,
        "neighbour_changes": summary.get("neighbour_changes") or [],
        "unknown_neighbours": summary.get("unknown_neighbours") or [],
        "mapping_name": summary.get("mapping") or "",
        "mapping_columns": _mapping_columns(summary.get("mapping_spec") or {}),
        "changes": (record.changes or [])[:CHANGES_SHOWN],
        "more_changes": max(len(record.changes or []) - CHANGES_SHOWN, 0),
        "measures_form": measures_form if not status["busy"] else None,
        "new_measures": list((summary.get("new_measures") or {}).values()),
    }


MAPPING_LABELS = (
    ("area", "council"),
    ("value", "figure"),
    ("period_column", "year"),
    ("period", "every figure's year"),
    ("measure_column", "measure code"),
    ("measure", "every figure's measure"),
    ("median_column", "published median"),
    ("numerator_column", "numerator"),
    ("denominator_column", "denominator"),
)


def _mapping_columns(spec: dict) -> str:
    """Which column was read as what, in words: "council: Local authority code; figure: Value; …"."""
    parts = [f"{label}: {spec[key]}" for key, label in MAPPING_LABELS if spec.get(key)]
    if spec.get("wide"):
        parts.append("a column per year")
    return "; ".join(parts)


@require_http_methods(["GET", "HEAD"])
def import_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Progress of the background work on an import, polled by the import page."""
    _require_import_permission(request)
    record = get_object_or_404(ImportRecord, pk=pk)
    status = services.import_status(record=record)
    target = status["applied_record"] or record.pk
    status["url"] = reverse("scorecard:import-detail", kwargs={"pk": target})
    response = JsonResponse(status)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD"])
def import_changes_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Every published figure the import changes or removes, old and new value, as CSV."""
    _require_import_permission(request)
    record = get_object_or_404(ImportRecord, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{record.pk}-changes.csv"'
    writer = csv.writer(response)
    writer.writerow(["Change", "Measure", "Year", "Area", "Area code", "Breakdown", "Old value", "New value"])
    for change in record.changes or []:
        new = change["new"] if change["kind"] == "changed" else change["new_status"]
        row = [change["kind"], change["measure"], change["period"], change["area"], change["area_code"]]
        row += [change["breakdown"], change["old"], new]
        writer.writerow([_safe_cell(cell) for cell in row])
    return response


def _safe_cell(text: str) -> str:
    """Text that a spreadsheet will not run as a formula (numbers stay as they are)."""
    text = str(text)
    if text.startswith(FORMULA_START):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


@require_http_methods(["POST"])
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _require_import_permission(request)
    preview = get_object_or_404(ImportRecord, pk=pk)
    if not services.import_confirm_start(record=preview, user=request.user):
        messages.error(
            request,
            "This preview cannot be imported: it has problems, is being imported or was imported already.",
        )
        return redirect("scorecard:import-detail", pk=preview.pk)
    preview.refresh_from_db()
    applied = services.applied_record_of(preview)
    if applied is not None:  # the task has already run (a fast worker, or tasks run in the request)
        messages.success(
            request,
            f"{applied.file_name} imported: {applied.created} values created, {applied.updated} updated, "
            f"{applied.unchanged} unchanged. {applied.changed_count} published figure"
            f"{'s' if applied.changed_count != 1 else ''} changed, {applied.removed_count} removed.",
        )
        return redirect("scorecard:import-detail", pk=applied.pk)
    return redirect("scorecard:import-detail", pk=preview.pk)


@require_http_methods(["POST"])
def import_check_again(request: HttpRequest, pk: int) -> HttpResponse:
    """Start again a preview whose worker stopped (its upload was kept)."""
    _require_import_permission(request)
    record = get_object_or_404(ImportRecord, pk=pk)
    services.import_recover(record=record)
    if not services.import_preview_restart(record=record):
        messages.error(request, "This file cannot be checked again here: upload it again.")
    return redirect("scorecard:import-detail", pk=record.pk)


@require_http_methods(["GET", "HEAD"])
def import_template(request: HttpRequest) -> HttpResponse:
    _require_import_permission(request)

    content = measures_template_xlsx()
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="local-measures-template.xlsx"'
    return response
