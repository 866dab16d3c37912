from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.start, name="start"),
    path("template.xlsx", views.template, name="template"),
    path("<uuid:public_id>/", views.job_detail, name="job"),
    path("<uuid:public_id>/columns/", views.columns, name="columns"),
    path("<uuid:public_id>/check/", views.check, name="check"),
    path("<uuid:public_id>/regions/", views.regions, name="regions"),
    path("<uuid:public_id>/commit/", views.commit, name="commit"),
    path("<uuid:public_id>/progress/", views.progress, name="progress"),
    path("<uuid:public_id>/restart/", views.restart, name="restart"),
    path("<uuid:public_id>/rejected.xlsx", views.rejected_rows, name="rejected"),
]
