from django.urls import path

from . import buyer_views, views

app_name = "bebeli"

urlpatterns = [
    path("", views.purchase_list, name="purchase_list"),
    path("p/<uuid:public_id>/", views.purchase_detail, name="purchase_detail"),
    path("p/<uuid:public_id>/<slug:step>/", views.purchase_step, name="purchase_step"),
    path("record/<int:pk>/", views.purchase_record, name="purchase_record"),
    path("verify/", views.queue, name="queue"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("buyers/", views.organisation_list, name="organisation_list"),
    path("buyers/new/", views.organisation_create, name="organisation_create"),
    path("buyers/<uuid:public_id>/", views.organisation_detail, name="organisation_detail"),
    path("buyers/<uuid:public_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path("buyers/<uuid:public_id>/members/", views.organisation_members, name="organisation_members"),
    path("buyers/<uuid:public_id>/status/", views.organisation_status, name="organisation_status"),
    path("shop/", buyer_views.shop, name="shop"),
    path("cart/", buyer_views.cart, name="cart"),
    path("cart/add/", buyer_views.cart_add, name="cart_add"),
    path("cart/<int:sme_id>/clear/", buyer_views.cart_clear, name="cart_clear"),
    path("cart/<int:sme_id>/order/", buyer_views.checkout, name="checkout"),
    path("outside/new/", buyer_views.outside_new, name="outside_new"),
]
