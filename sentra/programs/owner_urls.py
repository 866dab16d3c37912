from django.urls import path

from . import owner_views

app_name = "my_programs"

urlpatterns = [
    path("", owner_views.my_programmes, name="home"),
    path("apply/<uuid:public_id>/", owner_views.programme_apply, name="apply"),
    path("<int:pk>/", owner_views.my_enrolment, name="enrolment"),
    path("<int:pk>/withdraw/", owner_views.my_withdraw, name="withdraw"),
    path("<int:pk>/kpi/", owner_views.kpi_submit, name="kpi_submit"),
    path("kpi/<int:pk>/", owner_views.kpi_correct, name="kpi_correct"),
    path("kpi/<int:pk>/photo/", owner_views.kpi_photo_upload, name="kpi_photo"),
    path("clinic/", owner_views.clinic_book, name="clinic"),
    path("clinic/<int:pk>/cancel/", owner_views.clinic_cancel, name="clinic_cancel"),
    path("forum/<int:pk>/", owner_views.forum_home, name="forum_home"),
    path("forum/<int:pk>/cards/", owner_views.forum_cards, name="forum_cards"),
]
