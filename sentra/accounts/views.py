from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "That user name, email or phone and password do not match. The password is case-sensitive."
        ),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name, email or phone")
        self.fields["username"].widget.attrs["autocomplete"] = "username"


class SentraLoginView(LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True
