from django.urls import path

from . import views

app_name = "perda"

urlpatterns = [
    path("", views.obligation_list, name="obligation_list"),
    path("new/", views.obligation_create, name="obligation_create"),
    path("<uuid:public_id>/", views.obligation_detail, name="obligation_detail"),
    path("<uuid:public_id>/edit/", views.obligation_edit, name="obligation_edit"),
    path("<uuid:public_id>/report/", views.report_create, name="report_create"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<uuid:public_id>/", views.report_detail, name="report_detail"),
    path("reports/<uuid:public_id>/edit/", views.report_edit, name="report_edit"),
    path("reports/<uuid:public_id>/beneficiaries/", views.report_beneficiaries, name="report_beneficiaries"),
    path("reports/<uuid:public_id>/evidence/", views.report_evidence, name="report_evidence"),
    path("reports/<uuid:public_id>/review/", views.report_review, name="report_review"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("compliance/", views.compliance_report, name="compliance"),
    path("compliance.xlsx", views.compliance_xlsx, name="compliance_xlsx"),
]
