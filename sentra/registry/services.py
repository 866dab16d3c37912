"""Registry services: plain functions, one transaction each, every change audited."""

from django.db.models import Count, Q
from django.utils import timezone

from .models import Cooperative, Sme


def dashboard_figures(*, user) -> dict:
    """Headline counts for a Dinas home page, within the user's scope, in one query per table."""
    smes = Sme.objects.for_user(user).aggregate(
        smes=Count("id"),
        verified=Count("id", filter=Q(status=Sme.Status.VERIFIED)),
        submitted=Count("id", filter=Q(status=Sme.Status.SUBMITTED)),
    )
    cooperatives = Cooperative.objects.all()
    scope = user.kecamatan_scope()
    if scope is not None:
        cooperatives = cooperatives.filter(kecamatan_id__in=scope)
    return {**smes, "cooperatives": cooperatives.count(), "as_of": timezone.now()}
