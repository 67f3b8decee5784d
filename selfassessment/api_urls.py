"""The self-assessment's JSON routes; ``config/urls.py`` mounts them at /api/ in the ``api`` namespace."""

from django.urls import path

from selfassessment import api

urlpatterns = [
    path(
        "councils/<str:gss_code>/self-assessment/",
        api.council_self_assessment,
        name="council-self-assessment",
    ),
    path("councils/<str:gss_code>/assurance/", api.council_assurance, name="council-assurance"),
]
