from django.urls import path

from councils import views

app_name = "councils"

urlpatterns = [
    path("councils/", views.CouncilListView.as_view(), name="council-list"),
    path("councils/<str:gss_code>/", views.CouncilDetailView.as_view(), name="council-detail"),
    path("regions/<str:gss_code>/", views.RegionDetailView.as_view(), name="region-detail"),
    path("regions/<str:gss_code>/people/", views.RegionPeopleView.as_view(), name="region-people"),
]
