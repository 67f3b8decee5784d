"""The read-only JSON API, mounted at /api/ (see scorecard/api/views.py for authentication)."""

from django.urls import path

from scorecard.api import views

app_name = "api"

urlpatterns = [
    path("councils/<str:gss_code>/scorecard/", views.council_scorecard, name="council-scorecard"),
    path(
        "councils/<str:gss_code>/self-assessment/",
        views.council_self_assessment,
        name="council-self-assessment",
    ),
    path("councils/<str:gss_code>/assurance/", views.council_assurance, name="council-assurance"),
    path("measures/", views.measure_list, name="measure-list"),
    path("measures/<slug:key>/values/", views.measure_values, name="measure-values"),
]
