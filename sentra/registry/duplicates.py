"""Finding SME records that describe the same business, and merging them into one.

Duplicates arrive from imports (the same business in two spreadsheets, or in a spreadsheet and SIDT)
and from owners who register a business the Dinas already holds. Candidates are grouped in SQL on
exact keys (NIB; owner and name key); near-identical names are compared only inside one desa, so
the work grows with the size of a desa, never with the square of the registry.
"""

from __future__ import annotations

import copy
import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby

from django.db import IntegrityError, models, transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from sentra.core.audit import log_action, snapshot
from sentra.core.models import AuditEntry

from .claims import MONEY_FIELDS, reclassify_scale, record_scale
from .models import ChangeRequest, ClaimRequest, Forum, Permit, ScaleRecord, Sme, refresh_valid_until
from .search import search_text_for

SIMILAR_NAME_RATIO = 0.9
# Above this many records in scope, names are compared one kecamatan at a time.
SIMILAR_NAME_SCAN_LIMIT = 20_000


class Reason(models.TextChoices):
    SAME_NIB = "nib", _("Same NIB")
    SAME_OWNER_NAME = "owner", _("Same owner and business name")
    SIMILAR_NAME = "name", _("Near-identical name in the same desa")


@dataclass
class DuplicateGroup:
    sme_ids: tuple[int, ...]
    reasons: list[str] = field(default_factory=list)
    smes: list[Sme] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [Reason(r).label for r in self.reasons]


def find_duplicates(*, user, kecamatan=None, similar_names: bool = True) -> list[DuplicateGroup]:
    """Groups of SMEs in the user's scope (optionally one kecamatan) that are probably one business.

    Largest groups first. A set of records found by several rules shows once, with every reason.
    `similar_names=False` skips the name comparison, the one step whose cost grows faster than
    the number of records (see `similar_names_affordable`).
    """
    scope = Sme.objects.for_user(user)
    if kecamatan is not None:
        scope = scope.filter(kecamatan=kecamatan)
    rules = [(Reason.SAME_NIB, _same_nib), (Reason.SAME_OWNER_NAME, _same_owner_and_name)]
    if similar_names:
        rules.append((Reason.SIMILAR_NAME, _similar_names_in_desa))
    groups: dict[tuple[int, ...], DuplicateGroup] = {}
    for reason, rule in rules:
        for ids in rule(scope):
            key = tuple(sorted(ids))
            group = groups.setdefault(key, DuplicateGroup(sme_ids=key))
            if reason not in group.reasons:
                group.reasons.append(reason)
    return sorted(groups.values(), key=lambda g: (-len(g.sme_ids), g.sme_ids))


def similar_names_affordable(*, user, kecamatan=None) -> bool:
    """Whether comparing names fits in one page load: always for a kecamatan, else up to a limit.

    Measured on a loaded 2-core machine: 20,000 records take about 4 s, one kecamatan of a
    100,000-record regency under 1 s.
    """
    if kecamatan is not None:
        return True
    return Sme.objects.for_user(user).count() <= SIMILAR_NAME_SCAN_LIMIT


def load_smes(groups: Iterable[DuplicateGroup]) -> list[DuplicateGroup]:
    """Fill each group's records (one query for all groups), for display."""
    groups = list(groups)
    ids = {pk for g in groups for pk in g.sme_ids}
    smes = (
        Sme.objects.filter(pk__in=ids)
        .select_related("owner", "kecamatan", "desa")
        .annotate(permit_count=Count("permits"))
    )
    by_id = {sme.pk: sme for sme in smes}
    for group in groups:
        group.smes = [by_id[pk] for pk in group.sme_ids if pk in by_id]
    return groups


def _keys_with_several(scope, *fields: str) -> models.QuerySet:
    return scope.order_by().values(*fields).annotate(n=Count("id")).filter(n__gt=1)


def _same_nib(scope) -> Iterator[list[int]]:
    nibs = _keys_with_several(scope.exclude(nib__isnull=True).exclude(nib=""), "nib").values("nib")
    rows = scope.filter(nib__in=nibs).order_by("nib", "id").values_list("nib", "id")
    for _nib, members in groupby(rows, key=lambda row: row[0]):
        yield [pk for _, pk in members]


def _same_owner_and_name(scope) -> Iterator[list[int]]:
    scope = scope.exclude(owner__isnull=True).exclude(name_key="")
    owners = _keys_with_several(scope, "owner_id", "name_key").values("owner_id")
    rows = scope.filter(owner_id__in=owners).order_by("owner_id", "name_key", "id")
    for _key, members in groupby(rows.values_list("owner_id", "name_key", "id"), key=lambda r: r[:2]):
        ids = [pk for *_key, pk in members]
        if len(ids) > 1:
            yield ids


def _similar_names_in_desa(scope) -> Iterator[list[int]]:
    """Clusters of near-identical name keys, compared only within one desa."""
    rows = (
        scope.exclude(desa__isnull=True)
        .exclude(name_key="")
        .order_by("desa_id", "name_key", "id")
        .values_list("desa_id", "name_key", "id")
    )
    for _desa, block in groupby(rows.iterator(chunk_size=5000), key=lambda r: r[0]):
        yield from _clusters([(key, pk) for _d, key, pk in block])


# Keys of very different lengths cannot reach the ratio: 2*matches/total <= 2*shorter/total.
_MAX_LENGTH_FACTOR = (2 - SIMILAR_NAME_RATIO) / SIMILAR_NAME_RATIO


def _max_edits(total_length: int) -> int:
    """Most insertions and deletions two keys of this combined length can differ by and still reach the ratio.

    difflib's ratio is 2*matches/total, so at most (1 - ratio) * total characters stay unmatched; the
    edit distance (a substitution being one deletion plus one insertion) is no larger.
    """
    return int((1 - SIMILAR_NAME_RATIO) * total_length + 1e-9)


def _bigrams(key: str) -> frozenset[tuple[str, int]]:
    """Character pairs, numbered by occurrence so that a repeated pair counts as often as it occurs."""
    seen: dict[str, int] = {}
    grams = []
    for i in range(len(key) - 1):
        pair = key[i : i + 2]
        seen[pair] = seen.get(pair, 0) + 1
        grams.append((pair, seen[pair]))
    return frozenset(grams)


def _segments(length: int, edits: int) -> list[tuple[int, int]]:
    """(start, length) of `edits + 1` near-equal parts: `edits` edits leave at least one part intact."""
    parts = edits + 1
    base, longer = divmod(length, parts)
    segments, start = [], 0
    for i in range(parts):
        size = base + (1 if i >= parts - longer else 0)
        segments.append((start, size))
        start += size
    return segments


def _similar_pairs(keys: list[str]) -> Iterator[tuple[int, int]]:
    """Index pairs of keys whose difflib ratio reaches SIMILAR_NAME_RATIO, without comparing all pairs.

    Pass-Join (Li et al., VLDB 2011): each key is cut into edits+1 segments, so a near-identical
    longer key contains one of them unchanged at a nearby position. Keys are indexed by their
    segments in order of length; each key looks up its substrings at the few positions where the
    segments of shorter (or equal) keys could sit, and only those candidates go to difflib.
    """
    order = sorted(range(len(keys)), key=lambda i: (len(keys[i]), keys[i]))
    index: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    plans: dict[int, tuple[int, list[tuple[int, int]]]] = {}
    grams = [_bigrams(key) for key in keys]
    matcher = difflib.SequenceMatcher(autojunk=False)
    for b in order:
        probe = keys[b]
        lb = len(probe)
        candidates: set[int] = set()
        for la in range(max(1, int(lb / _MAX_LENGTH_FACTOR)), lb + 1):
            if la not in plans:
                edits = _max_edits(la + int(la * _MAX_LENGTH_FACTOR))
                plans[la] = (edits, _segments(la, edits))
            edits, segments = plans[la]
            shift = lb - la
            for number, (start, size) in enumerate(segments):
                # Multi-match-aware window: the first intact segment has at most `number` edits
                # before it and at most `edits - number` after it.
                low = max(start - number, start + shift - (edits - number), 0)
                high = min(start + number, start + shift + (edits - number), lb - size)
                for pos in range(low, high + 1):
                    candidates.update(index.get((la, number, probe[pos : pos + size]), ()))
        mine = grams[b]
        probe_set = False
        for a in candidates:
            other = keys[a]
            la = len(other)
            # q-gram count filter: each edit breaks at most two bigrams. Cheaper than difflib by far.
            if la * _MAX_LENGTH_FACTOR < lb or len(mine & grams[a]) < lb - 1 - 2 * _max_edits(la + lb):
                continue
            if not probe_set:
                matcher.set_seq2(probe)
                probe_set = True
            matcher.set_seq1(other)
            if matcher.ratio() >= SIMILAR_NAME_RATIO:
                yield a, b
        if lb not in plans:
            edits = _max_edits(lb + int(lb * _MAX_LENGTH_FACTOR))
            plans[lb] = (edits, _segments(lb, edits))
        for number, (start, size) in enumerate(plans[lb][1]):
            index[lb, number, probe[start : start + size]].append(b)


def _clusters(block: list[tuple[str, int]]) -> Iterator[list[int]]:
    """The ids of one desa grouped by equal or near-identical keys (transitively)."""
    ids_by_key: dict[str, list[int]] = defaultdict(list)
    for key, pk in block:
        ids_by_key[key].append(pk)
    keys = list(ids_by_key)
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in _similar_pairs(keys):
        parent[find(a)] = find(b)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        clusters[find(i)].extend(ids_by_key[key])
    for members in clusters.values():
        if len(members) > 1:
            yield sorted(members)


# --- merging -----------------------------------------------------------------------------------


class MergeError(Exception):
    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


# Fields a merge may fill on the kept record when it has no value. Identity, status, verification
# and the derived search fields stay the kept record's own.
_NOT_FILLED = {
    "id",
    "public_id",
    "regency",
    "status",
    "status_note",
    "verified_at",
    "verified_by",
    "merged_into",
    "search_text",
    "name_key",
    "source",
    "source_ref",
    "created_at",
    "updated_at",
    "scale",
    "scale_basis",
    # Recomputed from the permits the kept record ends up with (refresh_valid_until).
    "halal_valid_until",
    "pirt_valid_until",
}
# Reverse relations moved by name below; any other table pointing at an SME (added by later areas:
# sales, products, training) follows the kept record through the generic pass.
_MOVED_BY_NAME = {"permits", "scale_history", "claims", "change_requests", "accounts"}


# Fields that only make sense together: filled as a set, and only when the kept record has none of them.
_FILLED_TOGETHER = (
    ("kbli_code", "kbli_version", "kbli_category"),
    ("latitude", "longitude"),
    ("nib", "nib_issued_on"),
    ("start_year", "start_month"),
)


def _is_empty(value) -> bool:
    return value is None or value == ""


def _fill_empty_fields(keep: Sme, merge: Sme) -> list[str]:
    """Copy the merged record's values into the kept record's gaps; returns the names filled."""
    sets = [*_FILLED_TOGETHER, *((f.name,) for f in Sme._meta.concrete_fields if f.name not in _NOT_FILLED)]
    seen: set[str] = set()
    filled = []
    for names in sets:
        names = tuple(n for n in names if n not in seen)
        seen.update(names)
        fields = [Sme._meta.get_field(n) for n in names]
        if not names or not all(_is_empty(getattr(keep, f.attname)) for f in fields):
            continue
        # A desa belongs to a kecamatan: take it only when the kecamatan agrees.
        if names == ("desa",) and keep.kecamatan_id not in (None, merge.kecamatan_id):
            continue
        for f in fields:
            if not _is_empty(getattr(merge, f.attname)):
                setattr(keep, f.attname, getattr(merge, f.attname))
                filled.append(f.name)
    return filled


def _move_permits(keep: Sme, merge: Sme) -> None:
    held = set(keep.permits.values_list("kind", "number"))
    permits = list(merge.permits.all())
    Permit.objects.filter(pk__in=[p.pk for p in permits if (p.kind, p.number) in held]).delete()
    Permit.objects.filter(pk__in=[p.pk for p in permits if (p.kind, p.number) not in held]).update(sme=keep)
    refresh_valid_until([keep.pk, merge.pk])


def _move_other_relations(keep: Sme, merge: Sme) -> None:
    for relation in Sme._meta.related_objects:
        if relation.get_accessor_name() in _MOVED_BY_NAME or not relation.one_to_many:
            continue
        rows = relation.related_model._default_manager.filter(**{relation.field.name: merge})
        try:
            with transaction.atomic():
                rows.update(**{relation.field.name: keep})
        except IntegrityError:
            raise MergeError(
                _("Both records hold %(things)s that clash; tidy those up first, then merge.")
                % {"things": relation.related_model._meta.verbose_name_plural}
            ) from None


def check_merge(*, keep: Sme, merge: Sme, officer) -> None:
    """Raise MergeError when these two records may not be merged by this officer."""
    if keep.pk == merge.pk:
        raise MergeError(_("A record cannot be merged into itself."))
    if keep.regency_id != merge.regency_id:
        raise MergeError(_("Records of different regencies cannot be merged."))
    if keep.merged_into_id or merge.merged_into_id:
        raise MergeError(_("One of these records has already been merged."))
    in_scope = Sme.objects.for_user(officer).filter(pk__in=[keep.pk, merge.pk]).count()
    if in_scope != 2:
        raise MergeError(_("Both records must be within your area."))


@transaction.atomic
def merge_smes(*, keep: Sme, merge: Sme, officer, reason: str) -> Sme:
    """Fold `merge` into `keep`: keep's values win, its gaps are filled, everything attached moves.

    The merged record stays in the database, inactive and pointing at the kept one, so its own
    history remains readable and links to it can be redirected.
    """
    reason = (reason or "").strip()
    if not reason:
        raise MergeError(_("Give a reason for the merge."))
    # Lock both rows in id order, so two officers merging the same pair cannot deadlock.
    locked = {
        s.pk: s for s in Sme.objects.select_for_update().filter(pk__in=[keep.pk, merge.pk]).order_by("pk")
    }
    keep, merge = locked.get(keep.pk, keep), locked.get(merge.pk, merge)
    check_merge(keep=keep, merge=merge, officer=officer)

    before = snapshot(keep)
    filled = _fill_empty_fields(keep, merge)
    scale_changed = False
    if MONEY_FIELDS & set(filled):
        scale_changed = reclassify_scale(keep)
    elif not keep.scale and merge.scale:
        keep.scale, keep.scale_basis = merge.scale, merge.scale_basis
    keep.search_text = search_text_for(keep)
    keep.save()
    _move_permits(keep, merge)
    ScaleRecord.objects.filter(sme=merge).update(sme=keep)
    ClaimRequest.objects.filter(sme=merge).update(sme=keep)
    ChangeRequest.objects.filter(sme=merge).update(sme=keep)
    keep.accounts.add(*merge.accounts.all())
    merge.accounts.clear()
    Forum.objects.filter(coordinator=merge).update(coordinator=keep)
    # Records merged into `merge` earlier now point straight at the survivor: no chains to follow.
    Sme.objects.filter(merged_into=merge).update(merged_into=keep)
    _move_other_relations(keep, merge)
    # The merged record's scale history came along; only a class it does not already end on is news.
    latest = keep.scale_history.order_by("-recorded_at", "-pk").first()
    if scale_changed and (latest is None or latest.scale != keep.scale):
        record_scale(keep)

    old_status = merge.status
    merge.merged_into = keep
    merge.status = Sme.Status.INACTIVE
    merge.save(update_fields=["merged_into", "status", "updated_at"])

    after = snapshot(keep)
    log_action(
        actor=officer,
        verb="registry.sme.merged_from",
        obj=keep,
        action=AuditEntry.Action.UPDATE,
        changes={
            name: [before[name], after[name]]
            for name in after
            if before[name] != after[name] and name not in {"search_text", "updated_at"}
        },
        note=_("Merged from %(name)s (%(id)s): %(reason)s")
        % {"name": merge.name, "id": merge.public_id, "reason": reason},
    )
    log_action(
        actor=officer,
        verb="registry.sme.merged_into",
        obj=merge,
        action=AuditEntry.Action.UPDATE,
        changes={"status": [old_status, merge.status], "merged_into": [None, str(keep)]},
        note=_("Merged into %(name)s (%(id)s): %(reason)s")
        % {"name": keep.name, "id": keep.public_id, "reason": reason},
    )
    return keep


def preview_merge(*, keep: Sme, merge: Sme) -> list[str]:
    """The fields a merge would fill on `keep`, without changing anything."""
    return _fill_empty_fields(copy.copy(keep), merge)
