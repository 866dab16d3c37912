from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from sentra.core.permissions import public, signed_in

from . import signup_views, views

urlpatterns = [
    path("login/", public(views.SentraLoginView.as_view()), name="login"),
    path("signup/", signup_views.signup, name="signup"),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/change/",
        signed_in(auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done"))),
        name="password_change",
    ),
    path(
        "password/change/done/",
        signed_in(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("password/reset/", public(auth_views.PasswordResetView.as_view()), name="password_reset"),
    path(
        "password/reset/sent/", public(auth_views.PasswordResetDoneView.as_view()), name="password_reset_done"
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        public(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]
