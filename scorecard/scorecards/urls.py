from django.urls import path

from scorecard.scorecards import views

urlpatterns = [
    path(
        "councils/<str:gss_code>/scorecard/", views.CouncilScorecardView.as_view(), name="council-scorecard"
    ),
    path("regions/<str:gss_code>/scorecard/", views.RegionScorecardView.as_view(), name="region-scorecard"),
    path("compare/", views.CompareView.as_view(), name="compare"),
]
