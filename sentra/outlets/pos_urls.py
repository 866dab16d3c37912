from django.urls import path

from . import pos_views as views

app_name = "pos"
urlpatterns = [
    path("", views.my_till, name="my_till"),
    path("stock/", views.my_till, {"then": "pos:stock"}, name="my_stock"),
    path("closing/", views.my_till, {"then": "pos:closing"}, name="my_closing"),
    path("<uuid:outlet>/", views.sell, name="sell"),
    path("<uuid:outlet>/sell/", views.record, name="record"),
    path("<uuid:outlet>/sales/", views.sales, name="sales"),
    path("<uuid:outlet>/sales/<uuid:sale>/", views.receipt, name="receipt"),
    path("<uuid:outlet>/sales/<uuid:sale>/void/", views.void, name="void"),
    path("<uuid:outlet>/sales/<uuid:sale>/return/", views.return_goods, name="return"),
    path("<uuid:outlet>/closing/", views.closing, name="closing"),
    path("<uuid:outlet>/stock/", views.stock, name="stock"),
]
