from django.urls import path

from peerchallenge import views

app_name = "peerchallenge"

urlpatterns = [
    path("summits/", views.summit_list, name="summit-list"),
    path("summits/new/", views.summit_create, name="summit-create"),
    path("summits/<int:pk>/", views.summit_detail, name="summit-detail"),
    path("summits/<int:pk>/edit/", views.summit_edit, name="summit-edit"),
    path("summits/<int:pk>/pair/", views.summit_pair, name="summit-pair"),
    path("summits/<int:pk>/swap/", views.summit_swap, name="summit-swap"),
    path("summits/<int:pk>/avoid/", views.avoid_add, name="avoid-add"),
    path("summits/<int:pk>/avoid/<int:avoid_pk>/delete/", views.avoid_delete, name="avoid-delete"),
    path("summits/<int:pk>/state/", views.summit_state, name="summit-state"),
    path("summits/<int:pk>/timetable/", views.summit_timetable, name="summit-timetable"),
    path("summits/<int:pk>/timetable.csv", views.summit_timetable_csv, name="summit-timetable-csv"),
    path("summits/<int:pk>/councils/<str:gss_code>.ics", views.summit_council_ics, name="summit-council-ics"),
    path("lessons/", views.lesson_list, name="lesson-list"),
    path("lessons/new/", views.lesson_create, name="lesson-create"),
]
