"""Programme pieces shown on other areas' pages (a forum's meetings on the registry's forum page)."""

from django import template
from django.db.models import Count

register = template.Library()

FORUM_ACTIVITIES_SHOWN = 10


@register.inclusion_tag("programs/_forum_activities.html")
def forum_activities(forum):
    """A forum's latest meetings and joint activities, each with how many members came."""
    sessions = forum.sessions.annotate(present=Count("attendances")).order_by("-starts_at", "-id")
    return {"forum": forum, "activities": list(sessions[:FORUM_ACTIVITIES_SHOWN])}
