"""The one permission layer every view goes through.

Routes are closed by default (LoginRequiredMiddleware). A view is either `@public` or guarded by
`@role_required(...)`; tests/test_routes.py walks every URL and fails on a view that is neither.
Objects are fetched through `get_<thing>_for_user` helpers in each area, which answer 404 out of scope.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied

from sentra.accounts.models import Role

ALL_ROLES = tuple(Role.values)
DINAS = (Role.ADMIN, Role.OFFICER)


def public(view: Callable) -> Callable:
    """Anyone may open this view, signed in or not."""
    view = login_not_required(view)
    view.sentra_access = "public"
    return view


def role_required(*roles: str) -> Callable[[Callable], Callable]:
    """Signed-in users with one of `roles` may open the view; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.sentra_access = tuple(roles)
        return wrapper

    return decorator


def signed_in(view: Callable) -> Callable:
    """Any signed-in user, whatever the role (their own account pages)."""
    view.sentra_access = "signed_in"
    return view


def has_role(user, *roles: str) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def can_see_personal_data(user) -> bool:
    """Only Dinas staff need NIK and birth data in clear; everyone else sees them masked."""
    return has_role(user, *DINAS)
