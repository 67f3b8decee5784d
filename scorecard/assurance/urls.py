"""CQC outcome URLs (included by ``scorecard/urls.py``, namespace ``scorecard``)."""

from django.urls import path

from scorecard.assurance import views

urlpatterns = [
    path("councils/<str:gss_code>/cqc/", views.council_outcome, name="cqc-council"),
    path("councils/<str:gss_code>/cqc/new/", views.council_outcome_new, name="cqc-council-new"),
    path("regions/<str:gss_code>/cqc/", views.region_outcomes, name="cqc-region"),
]
