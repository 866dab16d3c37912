"""The audit trail: one `log_action` service that every change goes through.

Services call `log_action` inside their transaction, so a rolled-back change leaves no entry.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .masking import mask_value
from .models import AccessLog, AuditEntry

Changes = dict[str, list[Any]]


def _plain(value: Any) -> Any:
    """A JSON-safe, human-readable form of a field value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The current values of a record's concrete fields, for diffing before and after a change."""
    names = fields or [f.name for f in obj._meta.concrete_fields if f.name not in {"id", "updated_at"}]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> Changes:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _mask_personal(model: type[models.Model], changes: Changes) -> Changes:
    personal = set(getattr(model, "PERSONAL_FIELDS", ()))
    return {
        field: [mask_value(field, old), mask_value(field, new)] if field in personal else [old, new]
        for field, (old, new) in changes.items()
    }


def build_entry(
    *,
    actor,
    verb: str,
    obj: models.Model,
    action: str = AuditEntry.Action.UPDATE,
    changes: Changes | None = None,
    note: str = "",
) -> AuditEntry:
    """An unsaved entry, for bulk writers (imports) that save many entries at once."""
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        verb=verb,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=_mask_personal(type(obj), changes or {}),
        note=note,
    )


def log_action(
    *,
    actor,
    verb: str,
    obj: models.Model,
    action: str = AuditEntry.Action.UPDATE,
    changes: Changes | None = None,
    note: str = "",
) -> AuditEntry:
    entry = build_entry(actor=actor, verb=verb, obj=obj, action=action, changes=changes, note=note)
    entry.save()
    return entry


def history_for(obj: models.Model, *, also: Iterable[models.Model] = ()):
    """The entries of a record, newest first; `also` adds records of the same model (merged ones)."""
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    ids = [str(obj.pk), *(str(other.pk) for other in also)]
    entries = AuditEntry.objects.filter(content_type=ct)
    entries = entries.filter(object_id=ids[0]) if len(ids) == 1 else entries.filter(object_id__in=ids)
    return entries.select_related("actor")


def log_personal_access(
    *,
    user,
    kind: str,
    fields: Iterable[str],
    obj: models.Model | None = None,
    rows: int = 1,
    detail: str = "",
) -> AccessLog:
    return AccessLog.objects.create(
        user=user,
        kind=kind,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        fields=",".join(fields)[:200],
        row_count=rows,
        detail=detail[:300],
    )
