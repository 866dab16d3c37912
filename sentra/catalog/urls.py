from django.urls import path

from . import views

app_name = "catalog_officer"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("products/<uuid:public_id>/", views.review, name="review"),
    path("products/<uuid:public_id>/approve/", views.approve, name="approve"),
    path("products/<uuid:public_id>/return/", views.send_back, name="return"),
    path("smes/<uuid:public_id>/labels.pdf", views.sme_labels, name="labels"),
    path("inquiries/", views.inquiries, name="inquiries"),
    path("inquiries/<uuid:public_id>/", views.inquiry_detail, name="inquiry"),
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("events/<slug:slug>/edit/", views.event_edit, name="event_edit"),
    path("events/<slug:slug>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<slug:slug>/invite/", views.event_invite, name="event_invite"),
    path("events/<slug:slug>/participants/<int:pk>/status/", views.participation, name="participation"),
    path("events/<slug:slug>/participants/<int:pk>/sales/", views.event_sale, name="event_sale"),
]
