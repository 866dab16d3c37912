from django.urls import path

from . import public_views

app_name = "certificates"

urlpatterns = [path("<uuid:public_id>/", public_views.certificate_verify, name="verify")]
