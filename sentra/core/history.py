"""A record's change history in words: what `core/_history.html` shows on every record page.

An audit entry keeps its changes as `{"field": [before, after]}` with plain JSON values (see
core.audit). Read as they are, they say `owner.name`, `verified` and `1500000`; this module turns
each into a row an officer reads: the field's label in the active language ("Nama pemilik"),
choice values as their labels ("Terverifikasi"), money as Rupiah, dates as dates, yes/no as words,
and personal values masked (core.masking).

Keys name a field of the entry's model (`status`), a field across a relation (`owner.name`), or
something the model explains itself: a model may define `history_field(key)` returning
`(label, field or None)` for keys that are not field paths (the registry's `permit.halal`).
A key nothing explains is shown as it is, so that no change is ever hidden.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .masking import mask_value
from .templatetags.sentra import format_date, format_rupiah

EMPTY = "—"


@dataclass(frozen=True)
class Change:
    """One changed field of an entry, ready to show."""

    key: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Resolved:
    label: str
    field: models.Field | None
    model: type[models.Model] | None
    personal: bool


def is_rupiah(field: models.Field) -> bool:
    """Whole-Rupiah amounts are the project's big integers; money in other currencies keeps minor
    units in fields named `…_minor` (with their currency beside them), which stay plain numbers."""
    return isinstance(field, models.BigIntegerField) and not field.name.endswith("_minor")


def _label(field: models.Field | models.ForeignObjectRel) -> str:
    name = getattr(field, "verbose_name", None) or field.name.replace("_", " ")
    return capfirst(str(name))


def _is_personal(model: type[models.Model] | None, name: str) -> bool:
    return model is not None and name in getattr(model, "PERSONAL_FIELDS", ())


def resolve(model: type[models.Model], key: str) -> Resolved:
    """The label, field and personal-ness of a change key on `model`."""
    explain = getattr(model, "history_field", None)
    if explain is not None:
        explained = explain(key)
        if explained is not None:
            label, field = explained
            owner = field.model if field is not None else None
            return Resolved(str(label), field, owner, bool(field) and _is_personal(owner, field.name))
    parts = key.split(".")
    current, prefix = model, []
    try:
        for part in parts[:-1]:
            relation = current._meta.get_field(part)
            if not relation.is_relation or relation.related_model is None:
                raise FieldDoesNotExist(part)
            prefix.append(_label(relation))
            current = relation.related_model
        field = current._meta.get_field(parts[-1])
    except FieldDoesNotExist:
        return Resolved(key, None, None, _is_personal(model, parts[-1]))
    if not isinstance(field, models.Field):
        # The other side of a relation (a cooperative's managers): named by the related records.
        return Resolved(capfirst(str(field.related_model._meta.verbose_name_plural)), None, None, False)
    label = _label(field)
    # "Owner" + "owner name" reads "Owner name"; "Owner" + "phone" reads "Owner: phone".
    for outer in reversed(prefix):
        if outer.lower() not in label.lower():
            label = f"{outer}: {label[:1].lower()}{label[1:]}"
    return Resolved(label, field, current, _is_personal(current, field.name))


def _as_date(value: Any, *, with_time: bool) -> str | None:
    if isinstance(value, datetime | date):
        parsed = value
    elif isinstance(value, str):
        parsed = parse_datetime(value) if with_time else None
        parsed = parsed or parse_date(value[:10])
    else:
        return None
    return format_date(parsed, with_time=with_time and isinstance(parsed, datetime)) if parsed else None


def show(value: Any, resolved: Resolved, related: dict | None = None) -> str:
    """One value of a change as words."""
    if value is None or value == "" or value == []:
        return EMPTY
    if resolved.personal:
        return str(mask_value(resolved.field.name if resolved.field else resolved.label, value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    field = resolved.field
    if isinstance(value, bool) or isinstance(field, models.BooleanField):
        return _("Yes") if value in (True, "True", "true", 1) else _("No")
    if field is None:
        return str(value)
    choices = dict(field.flatchoices) if field.choices else {}
    if choices:
        return str(choices.get(value, value))
    if isinstance(field, models.DateTimeField):
        return _as_date(value, with_time=True) or str(value)
    if isinstance(field, models.DateField):
        return _as_date(value, with_time=False) or str(value)
    if is_rupiah(field):
        try:
            return format_rupiah(int(value))
        except (TypeError, ValueError):
            return str(value)
    if field.is_relation and isinstance(value, int) and related is not None:
        # A key (an import's owner_id) reads as the record it points to, looked up for all at once.
        return str(related.get((field.related_model, value), value))
    return str(value)


def _related_keys(model, changes: dict) -> list[tuple[type[models.Model], int]]:
    keys = []
    for key, values in changes.items():
        resolved = resolve(model, key)
        field = resolved.field
        if field is not None and field.is_relation and field.related_model and not resolved.personal:
            keys += [
                (field.related_model, v) for v in values if isinstance(v, int) and not isinstance(v, bool)
            ]
    return keys


def _look_up(keys) -> dict:
    wanted: dict[type[models.Model], set[int]] = {}
    for model, pk in keys:
        wanted.setdefault(model, set()).add(pk)
    found = {}
    for model, pks in wanted.items():
        found.update({(model, obj.pk): obj for obj in model._default_manager.filter(pk__in=pks)})
    return found


def describe(model: type[models.Model], changes: dict, related: dict | None = None) -> list[Change]:
    """The changes of one entry on a record of `model`, as words, in the order they were logged."""
    if related is None:
        keys = _related_keys(model, changes or {})
        related = _look_up(keys) if keys else {}
    rows = []
    for key, values in (changes or {}).items():
        before, after = (
            (list(values) + [None, None])[:2] if isinstance(values, list | tuple) else (None, values)
        )
        resolved = resolve(model, key)
        rows.append(
            Change(key, resolved.label, show(before, resolved, related), show(after, resolved, related))
        )
    return rows


def in_words(entries) -> list[tuple[Any, list[Change]]]:
    """Each entry with its changes in words; keys to other records are read in one query per model."""
    entries = list(entries)
    models_of = {}
    keys = []
    for entry in entries:
        model = models_of.get(entry.content_type_id)
        if model is None:
            model = models_of[entry.content_type_id] = ContentType.objects.get_for_id(
                entry.content_type_id
            ).model_class()
        if model is not None:
            keys += _related_keys(model, entry.changes or {})
    related = _look_up(keys) if keys else {}
    result = []
    for entry in entries:
        model = models_of[entry.content_type_id]
        if model is None:  # a model since removed: its keys as they are
            rows = [Change(k, k, *(str(v) if v is not None else EMPTY for v in (list(vs) + [None])[:2]))
                    for k, vs in (entry.changes or {}).items()]  # fmt: skip
        else:
            rows = describe(model, entry.changes or {}, related)
        result.append((entry, rows))
    return result
