from django.urls import path

from . import partner_views

app_name = "partner"

urlpatterns = [
    path("smes/", partner_views.find_smes, name="find_smes"),
    path("smes/<uuid:public_id>/", partner_views.sme_profile, name="sme_profile"),
    path("smes/<uuid:public_id>/offer/", partner_views.offer_create, name="offer_create"),
    path("offers/", partner_views.offer_list, name="offer_list"),
    path("offers/<uuid:public_id>/", partner_views.offer_detail, name="offer_detail"),
    path("offers/<uuid:public_id>/withdraw/", partner_views.offer_withdraw, name="offer_withdraw"),
    path("organisation/", partner_views.switch, name="switch"),
]
