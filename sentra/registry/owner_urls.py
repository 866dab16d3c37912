from django.urls import path

from . import owner_views

app_name = "owner"

urlpatterns = [
    path("", owner_views.my_smes, name="my_smes"),
]
