from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("smes/", views.sme_list, name="sme_list"),
    path("smes/new/", views.sme_create, name="sme_create"),
    path("smes/export.csv", views.sme_export_csv, name="sme_export_csv"),
    path("smes/export.xlsx", views.sme_export_xlsx, name="sme_export_xlsx"),
    path("smes/export-sidt.csv", views.sme_export_sidt, name="sme_export_sidt"),
    path("smes/<uuid:public_id>/", views.sme_detail, name="sme_detail"),
    path("smes/<uuid:public_id>/edit/", views.sme_edit, name="sme_edit"),
    path("smes/<uuid:public_id>/personal/", views.sme_personal, name="sme_personal"),
    path("smes/<uuid:public_id>/verify/", views.sme_status, {"action": "verify"}, name="sme_verify"),
    path("smes/<uuid:public_id>/reject/", views.sme_status, {"action": "reject"}, name="sme_reject"),
    path(
        "smes/<uuid:public_id>/deactivate/", views.sme_status, {"action": "deactivate"}, name="sme_deactivate"
    ),
    path("regions/desa-options/", views.desa_options, name="desa_options"),
    path("cooperatives/", views.cooperative_list, name="cooperative_list"),
    path("cooperatives/new/", views.cooperative_create, name="cooperative_create"),
    path("cooperatives/<uuid:public_id>/", views.cooperative_detail, name="cooperative_detail"),
    path("cooperatives/<uuid:public_id>/edit/", views.cooperative_edit, name="cooperative_edit"),
    path("forums/", views.forum_list, name="forum_list"),
    path("forums/<int:pk>/", views.forum_detail, name="forum_detail"),
    path("forums/<int:pk>/edit/", views.forum_edit, name="forum_edit"),
]
