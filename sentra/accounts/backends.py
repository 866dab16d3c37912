from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


def _phone_key(value: str) -> str | None:
    digits = "".join(ch for ch in value if ch.isdigit())
    if value.strip().startswith(("+62", "62")) and digits.startswith("62"):
        return "+" + digits
    if digits.startswith("0") and len(digits) >= 9:
        return "+62" + digits[1:]
    return None


class LoginBackend(ModelBackend):
    """Sign in with user name, email or phone number (08…, +62…, 62… are the same number)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        User = get_user_model()
        query = Q(username__iexact=username) | Q(email__iexact=username)
        phone = _phone_key(username)
        if phone:
            query |= Q(phone=phone)
        candidates = list(User.objects.filter(query)[:2])
        # Two accounts sharing an email must not let one password open the other: refuse the ambiguity.
        if len(candidates) != 1:
            User().set_password(password)  # same work either way, against timing probes
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
