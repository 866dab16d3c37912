"""Self-service sign-up for SME owners: the form, and the service that creates the account."""

import secrets

from django import forms
from django.contrib.auth import password_validation
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from sentra.core.audit import log_action
from sentra.core.models import AuditEntry
from sentra.registry.normalize import NormalizationError, normalize_phone

from .models import Role, User


class SignupForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=30,
        required=False,
        help_text=_("For example 0812 3456 7890. You can sign in with it."),
    )
    email = forms.EmailField(label=_("Email"), required=False, help_text=_("You can sign in with it too."))
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        autocomplete = {"name": "name", "phone": "tel", "email": "email"}
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        self.fields["password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["password2"].widget.attrs["autocomplete"] = "new-password"
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str | None:
        try:
            phone = normalize_phone(self.cleaned_data["phone"])
        except NormalizationError as exc:
            raise exc.as_validation_error() from None
        if phone and User.objects.filter(phone=phone).exists():
            raise forms.ValidationError(
                _("An account with this phone number already exists. Sign in instead."), code="phone_taken"
            )
        return phone

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        # The login backend accepts a user name or an email in one box: neither may open another account.
        if email and User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
            raise forms.ValidationError(
                _("An account with this email already exists. Sign in instead."), code="email_taken"
            )
        return email

    def clean(self):
        data = super().clean()
        contact_invalid = self.has_error("phone") or self.has_error("email")
        if not data.get("phone") and not data.get("email") and not contact_invalid:
            self.add_error("phone", _("Give a phone number or an email address (or both)."))
        password = data.get("password1")
        if password and data.get("password2") and password != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        elif password:
            candidate = User(first_name=data.get("name", ""), email=data.get("email") or "")
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


def _free_username(name: str) -> str:
    # Nobody needs to remember it (sign-in is by phone or email), so a readable stem plus a random tail.
    stem = slugify(name)[:40] or "pemilik"
    return f"{stem}-{secrets.token_hex(3)}"


@transaction.atomic
def sign_up_owner(*, name: str, phone: str | None, email: str, password: str) -> User:
    """A new SME owner account. Raises IntegrityError when the phone was taken in the meantime."""
    user = User(username=_free_username(name), first_name=name, phone=phone or None, email=email)
    user.role = Role.SME_OWNER
    user.set_password(password)
    user.save()
    log_action(
        actor=user,
        verb="accounts.user.signed_up",
        obj=user,
        action=AuditEntry.Action.CREATE,
        changes={"role": [None, Role.SME_OWNER.value]},
    )
    return user


def sign_up_from_form(form: SignupForm) -> User | None:
    """The account for a valid form, or None with the form's error set when a race took the phone."""
    data = form.cleaned_data
    try:
        return sign_up_owner(
            name=data["name"], phone=data["phone"], email=data["email"], password=data["password1"]
        )
    except IntegrityError:
        form.add_error("phone", _("An account with this phone number already exists. Sign in instead."))
        return None
