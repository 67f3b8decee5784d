"""Self-assessment pages (namespace ``selfassessment``, included by ``config/urls.py``)."""

from django.urls import path

from selfassessment import views

app_name = "selfassessment"

urlpatterns = [
    path("regions/<str:gss_code>/self-assessment/", views.cycle_list, name="cycles"),
    path("regions/<str:gss_code>/self-assessment/new/", views.cycle_create, name="cycle-new"),
    path("regions/<str:gss_code>/self-assessment/<slug:slug>/", views.cycle_detail, name="cycle"),
    path(
        "regions/<str:gss_code>/self-assessment/<slug:slug>/close/",
        views.cycle_close,
        name="cycle-close",
    ),
    path("councils/<str:gss_code>/self-assessment/", views.council_latest, name="latest"),
    path("councils/<str:gss_code>/self-assessment/<slug:slug>/", views.detail, name="detail"),
    path("councils/<str:gss_code>/self-assessment/<slug:slug>/edit/", views.edit, name="edit"),
    path("councils/<str:gss_code>/self-assessment/<slug:slug>/check/", views.check, name="check"),
    path(
        "councils/<str:gss_code>/self-assessment/<slug:slug>/reopen/",
        views.reopen,
        name="reopen",
    ),
    path(
        "councils/<str:gss_code>/self-assessment/<slug:slug>/reopen-request/",
        views.reopen_request,
        name="reopen-request",
    ),
    path(
        "councils/<str:gss_code>/self-assessment/<slug:slug>/history/",
        views.history,
        name="history",
    ),
    path(
        "councils/<str:gss_code>/self-assessment/<slug:slug>/export.docx",
        views.export_docx,
        name="docx",
    ),
]
