from django.urls import path

from . import owner_views

app_name = "owner"

urlpatterns = [
    path("", owner_views.my_smes, name="my_smes"),
    path("new/", owner_views.sme_create, name="sme_create"),
    path("claim/", owner_views.claim, name="claim"),
    path("desa-options/", owner_views.desa_options, name="desa_options"),
    path("<uuid:public_id>/", owner_views.sme_overview, name="sme_overview"),
    path("<uuid:public_id>/edit/", owner_views.sme_edit, name="sme_edit"),
    path("<uuid:public_id>/submit/", owner_views.sme_submit, name="sme_submit"),
]
