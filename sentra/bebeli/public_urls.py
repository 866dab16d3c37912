"""The public transparency page, under the language prefix (/id/bebeli/, /en/bebeli/)."""

from django.urls import path

from . import public_views

app_name = "bebeli_public"

urlpatterns = [
    path("", public_views.transparency, name="transparency"),
    path("data.csv", public_views.transparency_csv, name="transparency_csv"),
]
