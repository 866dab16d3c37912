from django.urls import path

from . import review_views

app_name = "review"

urlpatterns = [
    path("", review_views.queue, name="queue"),
]
