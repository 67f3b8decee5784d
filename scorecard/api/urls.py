"""The read-only JSON API, mounted at /api/ (see scorecard/api/views.py for authentication).

``config/urls.py`` joins these routes and the self-assessment's (``selfassessment/api_urls.py``) in one ``api``
namespace.
"""

from django.urls import path

from scorecard.api import views

app_name = "api"

urlpatterns = [
    path("councils/<str:gss_code>/scorecard/", views.council_scorecard, name="council-scorecard"),
    path("measures/", views.measure_list, name="measure-list"),
    path("measures/<slug:key>/values/", views.measure_values, name="measure-values"),
]
