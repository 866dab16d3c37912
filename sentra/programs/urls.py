from django.urls import path

from . import clinic_views, mentor_views, report_views, views

app_name = "programs"

urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("new/", views.programme_create, name="programme_create"),
    path("<uuid:public_id>/", views.programme_detail, name="programme_detail"),
    path("<uuid:public_id>/edit/", views.programme_edit, name="programme_edit"),
    path("<uuid:public_id>/enrol/", views.programme_enrol, name="programme_enrol"),
    path("<uuid:public_id>/select/", views.programme_select, name="programme_select"),
    path("<uuid:public_id>/cards/", views.programme_cards, name="programme_cards"),
    path("<uuid:public_id>/sessions/new/", views.session_create, name="session_create"),
    path("<uuid:public_id>/cohort/", mentor_views.cohort, name="cohort"),
    path("<uuid:public_id>/cohort/assign/", mentor_views.cohort_assign, name="cohort_assign"),
    path("sessions/<uuid:public_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<uuid:public_id>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<uuid:public_id>/check-in/", views.session_check_in, name="session_check_in"),
    path("attendance/<int:pk>/undo/", views.attendance_undo, name="attendance_undo"),
    path("participants/<int:pk>/", views.participant_detail, name="participant_detail"),
    path(
        "participants/<int:pk>/withdraw/",
        views.enrolment_action,
        {"action": "withdraw"},
        name="enrolment_withdraw",
    ),
    path(
        "participants/<int:pk>/decline/",
        views.enrolment_action,
        {"action": "decline"},
        name="enrolment_decline",
    ),
    path(
        "participants/<int:pk>/certificate-obtained/", views.outcome_certificate, name="outcome_certificate"
    ),
    path("participants/<int:pk>/product-improved/", views.outcome_product, name="outcome_product"),
    path("participants/<int:pk>/certificate/issue/", views.certificate_issue, name="certificate_issue"),
    path("participants/<int:pk>/certificate/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("participants/<int:pk>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("mentors/", mentor_views.mentor_list, name="mentor_list"),
    path("mentors/new/", mentor_views.mentor_create, name="mentor_create"),
    path("mentors/<int:pk>/", mentor_views.mentor_detail, name="mentor_detail"),
    path("mentors/<int:pk>/edit/", mentor_views.mentor_edit, name="mentor_edit"),
    path("mentors/<int:pk>/assign/", mentor_views.mentor_assign, name="mentor_assign"),
    path("mentoring/", mentor_views.my_mentoring, name="my_mentoring"),
    path("mentoring/<int:pk>/", mentor_views.assignment_detail, name="assignment_detail"),
    path("mentoring/<int:pk>/end/", mentor_views.assignment_end, name="assignment_end"),
    path("kpi/<int:pk>/photo/", mentor_views.kpi_photo, name="kpi_photo"),
    path("kpi/<int:pk>/review/", mentor_views.kpi_review, name="kpi_review"),
    path("risks/<int:pk>/close/", mentor_views.risk_close, name="risk_close"),
    path("clinic/", clinic_views.clinic_home, name="clinic"),
    path("clinic/book/<uuid:sme>/", clinic_views.clinic_book_for_sme, name="clinic_book"),
    path("clinic/bookings/<int:pk>/", clinic_views.booking_detail, name="booking_detail"),
    path("clinic/bookings/<int:pk>/record/", clinic_views.booking_record, name="booking_record"),
    path("clinic/bookings/<int:pk>/verify/", clinic_views.booking_verify, name="booking_verify"),
    path("reports/", report_views.report, name="report"),
    path("reports/programmes.xlsx", report_views.report_xlsx, name="report_xlsx"),
    path("reports/smes/", report_views.report_smes, name="report_smes"),
    path(
        "reports/<uuid:public_id>/sales/<str:group>/<str:period>/",
        report_views.report_sales,
        name="report_sales",
    ),
]
