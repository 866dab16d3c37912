from django.urls import path

from . import owner_views as views

app_name = "outlets_owner"
urlpatterns = [
    path("", views.statements, name="statements"),
    path("<uuid:statement>/pdf/", views.statement_pdf, name="statement_pdf"),
]
