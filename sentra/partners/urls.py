from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.partner_list, name="partner_list"),
    path("new/", views.partner_create, name="partner_create"),
    path("<uuid:public_id>/", views.partner_detail, name="partner_detail"),
    path("<uuid:public_id>/edit/", views.partner_edit, name="partner_edit"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<uuid:public_id>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<uuid:public_id>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<uuid:public_id>/end/", views.agreement_end, name="agreement_end"),
    path("agreements/<uuid:public_id>/signed.pdf", views.agreement_file, name="agreement_file"),
    path(
        "agreements/<uuid:public_id>/activities/new/",
        views.agreement_activity_create,
        name="agreement_activity_create",
    ),
    path("foster/", views.foster_list, name="foster_list"),
    path("foster/new/", views.foster_create, name="foster_create"),
    path("foster/<uuid:public_id>/", views.foster_detail, name="foster_detail"),
    path("foster/<uuid:public_id>/edit/", views.foster_edit, name="foster_edit"),
    path("foster/<uuid:public_id>/smes/", views.foster_smes, name="foster_smes"),
    path(
        "foster/<uuid:public_id>/activities/new/", views.foster_activity_create, name="foster_activity_create"
    ),
    path("activities/<uuid:public_id>/", views.activity_detail, name="activity_detail"),
    path("activities/<uuid:public_id>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<uuid:public_id>/smes/", views.activity_smes, name="activity_smes"),
    path("activities/<uuid:public_id>/evidence/", views.activity_evidence, name="activity_evidence"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("offers/", views.offer_list, name="offer_list"),
]
