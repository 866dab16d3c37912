from django.urls import path

from . import review_views

app_name = "review"

urlpatterns = [
    path("", review_views.queue, name="queue"),
    path("claims/<int:pk>/approve/", review_views.claim_approve, name="claim_approve"),
    path("claims/<int:pk>/reject/", review_views.claim_reject, name="claim_reject"),
    path("changes/<int:pk>/approve/", review_views.change_approve, name="change_approve"),
    path("changes/<int:pk>/reject/", review_views.change_reject, name="change_reject"),
    path("duplicates/", review_views.duplicates, name="duplicates"),
    path("duplicates/merge/", review_views.merge, name="merge"),
]
