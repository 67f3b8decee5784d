"""JSON routes for summits and their themes, mounted at /api/ (see peerchallenge/themes/api.py)."""

from django.urls import path

from peerchallenge.themes import api

app_name = "summits-api"

urlpatterns = [
    path("summits/", api.summit_list, name="summit-list"),
    path("summits/<int:pk>/themes/", api.summit_themes, name="summit-themes"),
]
