from django.urls import path

from scorecard.measures import views as views_measures

urlpatterns = [
    path("measures/", views_measures.MeasureListView.as_view(), name="measure-list"),
    path("measures/<slug:key>/", views_measures.MeasureDetailView.as_view(), name="measure-detail"),
]
