"""Self-assessment URLs (included by ``scorecard/urls.py``, namespace ``scorecard``)."""

from django.urls import path

from scorecard.selfassessment import views

urlpatterns = [
    path("regions/<str:gss_code>/self-assessment/", views.cycle_list, name="selfassessment-cycles"),
    path("regions/<str:gss_code>/self-assessment/new/", views.cycle_create, name="selfassessment-cycle-new"),
    path(
        "regions/<str:gss_code>/self-assessment/<slug:slug>/", views.cycle_detail, name="selfassessment-cycle"
    ),
    path(
        "regions/<str:gss_code>/self-assessment/<slug:slug>/close/",
        views.cycle_close,
        name="selfassessment-cycle-close",
    ),
    path("councils/<str:gss_code>/self-assessment/", views.council_latest, name="selfassessment-latest"),
    path("councils/<str:gss_code>/self-assessment/<slug:slug>/", views.detail, name="selfassessment-detail"),
    path("councils/<str:gss_code>/self-assessment/<slug:slug>/edit/", views.edit, name="selfassessment-edit"),
    path(
        "councils/<str:gss_code>/self-assessment/<slug:slug>/check/", views.check, name="selfassessment-check"
    ),
    path(
        "councils/<str:gss_code>/self-assessment/<slug:slug>/reopen/",
        views.reopen,
        name="selfassessment-reopen",
    ),
    path(
        "councils/<str:gss_code>/self-assessment/<slug:slug>/reopen-request/",
        views.reopen_request,
        name="selfassessment-reopen-request",
    ),
    path(
        "councils/<str:gss_code>/self-assessment/<slug:slug>/history/",
        views.history,
        name="selfassessment-history",
    ),
    path(
        "councils/<str:gss_code>/self-assessment/<slug:slug>/export.docx",
        views.export_docx,
        name="selfassessment-docx",
    ),
]
