from django.urls import path

from scorecard.imports import views as views_imports

urlpatterns = [
    path("imports/", views_imports.import_list, name="import-list"),
    path("imports/new/", views_imports.import_upload, name="import-upload"),
    path("imports/template.xlsx", views_imports.import_template, name="import-template"),
    path("imports/<int:pk>/", views_imports.import_detail, name="import-detail"),
    path("imports/<int:pk>/columns/", views_imports.import_columns, name="import-columns"),
    path("imports/<int:pk>/measures/", views_imports.import_measures, name="import-measures"),
    path("imports/<int:pk>/confirm/", views_imports.import_confirm, name="import-confirm"),
    path("imports/<int:pk>/check-again/", views_imports.import_check_again, name="import-check-again"),
    path("imports/<int:pk>/status.json", views_imports.import_status, name="import-status"),
    path("imports/<int:pk>/changes.csv", views_imports.import_changes_csv, name="import-changes"),
]
