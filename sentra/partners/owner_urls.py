from django.urls import path

from . import owner_views

app_name = "sme_partners"

urlpatterns = [
    path("", owner_views.overview, name="overview"),
    path("<uuid:public_id>/consent/", owner_views.consent_edit, name="consent"),
    path("offers/<uuid:public_id>/", owner_views.offer, name="offer"),
]
