from django.urls import path

from . import owner_views, readiness_views, views

app_name = "exports"

urlpatterns = [
    path("", views.home, name="home"),
    path("readiness/", readiness_views.readiness_list, name="readiness_list"),
    path("readiness/<uuid:public_id>/", readiness_views.readiness_sme, name="readiness_sme"),
    path("readiness/product/<uuid:public_id>/", readiness_views.readiness_product, name="readiness_product"),
    path("buyers/", views.buyer_list, name="buyer_list"),
    path("buyers/new/", views.buyer_create, name="buyer_create"),
    path("buyers/<uuid:public_id>/", views.buyer_detail, name="buyer_detail"),
    path("buyers/<uuid:public_id>/edit/", views.buyer_edit, name="buyer_edit"),
    path("buyers/<uuid:public_id>/contacts/", views.buyer_contacts, name="buyer_contacts"),
    path("deals/", views.deal_list, name="deal_list"),
    path("deals/new/", views.deal_create, name="deal_create"),
    path("orders/new/", views.order_create, name="order_create"),
    path("deals/<uuid:public_id>/", views.deal_detail, name="deal_detail"),
    path("deals/<uuid:public_id>/order/", views.order_for_deal, name="order_for_deal"),
    path("deals/<uuid:public_id>/quotation/", views.quotation_add, name="quotation_add"),
    path("deals/<uuid:public_id>/production/", views.production_start, name="production_start"),
    path("deals/<uuid:public_id>/shipment/", views.shipment_add, name="shipment_add"),
    path("deals/<uuid:public_id>/payment/", views.payment_add, name="payment_add"),
    path("deals/<uuid:public_id>/cancel/", views.deal_cancel, name="deal_cancel"),
    path("deals/<uuid:public_id>/documents/", views.document_add, name="document_add"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("shipments/", views.shipment_list, name="shipment_list"),
    path("shipments/<int:pk>/", views.shipment_record, name="shipment_record"),
    path("products/", views.international_products, name="international_products"),
    path("reports/", views.report, name="report"),
    path("reports.xlsx", views.report_xlsx, name="report_xlsx"),
    path("domestic/", views.domestic_list, name="domestic_list"),
    path("domestic/new/<uuid:sme_public_id>/", views.domestic_create, name="domestic_create"),
    path("domestic/<int:pk>/", views.domestic_record, name="domestic_record"),
    path("domestic/<int:pk>/verify/", views.domestic_verify, name="domestic_verify"),
    path("my/", owner_views.my_exports, name="my_exports"),
]
