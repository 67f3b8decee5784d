"""Plenary themes, the region's work programme and follow-up."""

from django.urls import path

from peerchallenge.themes import views

app_name = "themes"

urlpatterns = [
    path("summits/<int:pk>/plenary/", views.plenary, name="plenary"),
    path("summits/<int:pk>/plenary/several/", views.plenary_many, name="plenary-many"),
    path("summits/<int:pk>/themes/", views.theme_list, name="theme-list"),
    path("summits/<int:pk>/themes/ticked/", views.themes_bulk, name="themes-bulk"),
    path("summits/<int:pk>/themes/publish/", views.themes_publish, name="themes-publish"),
    path("summits/<int:pk>/themes/<int:theme_pk>/", views.theme_detail, name="theme-detail"),
    path("summits/<int:pk>/themes/<int:theme_pk>/merge/", views.theme_merge, name="theme-merge"),
    path("summits/<int:pk>/themes/<int:theme_pk>/unmerge/", views.theme_unmerge, name="theme-unmerge"),
    path("summits/<int:pk>/themes/<int:theme_pk>/split/", views.theme_split, name="theme-split"),
    path("summits/<int:pk>/themes/<int:theme_pk>/link/", views.theme_link, name="theme-link"),
    path("summits/<int:pk>/themes/<int:theme_pk>/plan/", views.theme_to_work_item, name="theme-plan"),
    path("summits/<int:pk>/loggers/", views.logger_add, name="logger-add"),
    path("summits/<int:pk>/loggers/<int:user_pk>/remove/", views.logger_remove, name="logger-remove"),
    path("summits/<int:pk>/findings/", views.findings, name="findings"),
    path("summits/<int:pk>/findings/<str:gss_code>/", views.finding_edit, name="finding-edit"),
    path(
        "summits/<int:pk>/recommendations/<int:rec_pk>/follow-up/",
        views.recommendation_follow_up,
        name="recommendation-follow-up",
    ),
    path("regions/<str:gss_code>/themes/", views.region_themes, name="region-themes"),
    path("regions/<str:gss_code>/work-programme/", views.work_programme_latest, name="work-programme-latest"),
    path("regions/<str:gss_code>/work-programme/<int:year>/", views.work_programme, name="work-programme"),
    path(
        "regions/<str:gss_code>/work-programme/<int:year>/publish/",
        views.work_programme_publish,
        name="work-programme-publish",
    ),
    path(
        "regions/<str:gss_code>/work-programme/<int:year>/export.<str:fmt>",
        views.work_programme_export,
        name="work-programme-export",
    ),
    path(
        "regions/<str:gss_code>/work-programme/<int:year>/summary.docx",
        views.work_programme_docx,
        name="work-programme-docx",
    ),
    path(
        "regions/<str:gss_code>/work-programme/<int:year>/items/<int:item_pk>/",
        views.work_item,
        name="work-item",
    ),
    path(
        "regions/<str:gss_code>/work-programme/<int:year>/items/<int:item_pk>/update/",
        views.work_item_update,
        name="work-item-update",
    ),
]
