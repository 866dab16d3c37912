from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from sentra.core.permissions import public

from .forms import SignupForm, sign_up_from_form


@public
@sensitive_post_parameters("password1", "password2")
def signup(request):
    """SME owners open their own account; Dinas staff and partners are created by an admin."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = sign_up_from_form(form)
        if user is not None:
            login(request, user, backend="sentra.accounts.backends.LoginBackend")
            return redirect("owner:my_smes")
    return render(request, "registration/signup.html", {"form": form})
