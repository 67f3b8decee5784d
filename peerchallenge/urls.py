from django.urls import path

from peerchallenge import views
from peerchallenge.packs import views as pack_views

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
    path("summits/<int:pk>/state/<str:to>/", views.summit_state_change, name="summit-state-change"),
    path("summits/<int:pk>/timetable/", views.summit_timetable, name="summit-timetable"),
    path("summits/<int:pk>/timetable.csv", views.summit_timetable_csv, name="summit-timetable-csv"),
    path("summits/<int:pk>/councils/<str:gss_code>.ics", views.summit_council_ics, name="summit-council-ics"),
    path("summits/<int:pk>/packs/", pack_views.summit_packs, name="summit-packs"),
    path("packs/", pack_views.packs_on_demand, name="packs-on-demand"),
    path("packs/<str:gss_code>/<str:period>.pdf", pack_views.council_pack_pdf, name="council-pack-pdf"),
    path(
        "packs/<str:gss_code>/<str:period>-pro-forma.docx",
        pack_views.council_pack_docx,
        name="council-pack-docx",
    ),
    path(
        "packs/<str:gss_code>/<str:period>/preparing/",
        pack_views.council_pack_preparing,
        name="council-pack-preparing",
    ),
    path(
        "packs/<str:gss_code>/<str:period>/preparing/status.json",
        pack_views.council_pack_status,
        name="council-pack-status",
    ),
    path("summits/<int:pk>/packs/build/", pack_views.pack_build, name="pack-build"),
    path(
        "summits/<int:pk>/packs/builds/<int:build_pk>/status.json",
        pack_views.pack_build_status,
        name="pack-build-status",
    ),
    path(
        "summits/<int:pk>/packs/builds/<int:build_pk>.zip", pack_views.pack_build_zip, name="pack-build-zip"
    ),
    path("summits/<int:pk>/packs/<str:gss_code>.pdf", pack_views.pack_pdf, name="pack-pdf"),
    path(
        "summits/<int:pk>/packs/<str:gss_code>/preparing/", pack_views.pack_preparing, name="pack-preparing"
    ),
    path(
        "summits/<int:pk>/packs/<str:gss_code>/preparing/status.json",
        pack_views.pack_status,
        name="pack-status",
    ),
    path("summits/<int:pk>/packs/<str:gss_code>-pro-forma.docx", pack_views.pack_docx, name="pack-docx"),
    path("summits/<int:pk>/questions/<str:gss_code>/", pack_views.question_set, name="question-set"),
    path("summits/<int:pk>/question-bank/", pack_views.question_bank, name="question-bank"),
    path("lessons/", views.lesson_list, name="lesson-list"),
    path("lessons/new/", views.lesson_create, name="lesson-create"),
]
