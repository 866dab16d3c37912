from django.urls import path

from . import owner_views

app_name = "catalog_owner"

urlpatterns = [
    path("", owner_views.products, name="products"),
    path("new/", owner_views.product_create, name="product_create"),
    path("inquiries/", owner_views.inbox, name="inbox"),
    path("inquiries/<uuid:public_id>/", owner_views.inquiry_detail, name="inquiry"),
    path("inquiries/<uuid:public_id>/close/", owner_views.inquiry_close, name="inquiry_close"),
    path("business/<uuid:public_id>/storefront/", owner_views.storefront_edit, name="storefront"),
    path("business/<uuid:public_id>/labels.pdf", owner_views.labels_pdf, name="labels"),
    path("<uuid:public_id>/", owner_views.product_detail, name="product"),
    path("<uuid:public_id>/edit/", owner_views.product_edit, name="product_edit"),
    path("<uuid:public_id>/submit/", owner_views.product_submit, name="product_submit"),
    path("<uuid:public_id>/withdraw/", owner_views.product_withdraw, name="product_withdraw"),
    path("<uuid:public_id>/photos/", owner_views.photo_add, name="photo_add"),
    path("<uuid:public_id>/photos/<int:photo_id>/remove/", owner_views.photo_remove, name="photo_remove"),
]
