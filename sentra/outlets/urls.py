from django.urls import path

from . import views

app_name = "outlets"
urlpatterns = [
    path("", views.outlet_list, name="list"),
    path("new/", views.outlet_form, name="create"),
    path("reports/", views.reports, name="reports"),
    path("cooperation/", views.partner_outlets, name="partner_outlets"),
    path("<uuid:outlet>/", views.outlet_detail, name="detail"),
    path("<uuid:outlet>/edit/", views.outlet_form, name="edit"),
    path("<uuid:outlet>/cashiers/", views.assign_cashier, name="assign_cashier"),
    path("<uuid:outlet>/stock-in/", views.stock_in, name="stock_in"),
    path("<uuid:outlet>/notes/<uuid:note>/", views.note, name="note"),
    path("<uuid:outlet>/move/", views.move, name="move"),
    path("<uuid:outlet>/ledger/", views.ledger, name="ledger"),
    path("<uuid:outlet>/settlement/<int:year>/<int:month>/", views.settlement, name="settlement"),
    path("<uuid:outlet>/statements/<uuid:statement>/", views.statement_action, name="statement_action"),
    path("<uuid:outlet>/turnover/", views.turnover, name="turnover"),
    path("<uuid:outlet>/turnover/<uuid:report>/evidence/", views.turnover_evidence, name="turnover_evidence"),
]
