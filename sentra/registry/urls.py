from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("smes/", views.sme_list, name="sme_list"),
    path("smes/<uuid:public_id>/", views.sme_detail, name="sme_detail"),
    path("cooperatives/", views.cooperative_list, name="cooperative_list"),
]
