"""The officer-facing registry: SMEs, cooperatives and forums."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role
from sentra.core.audit import history_for, log_personal_access
from sentra.core.permissions import DINAS, can_see_personal_data, role_required, signed_in
from sentra.regions.models import Region

from . import exports, services
from .forms import (
    CooperativeFilterForm,
    CooperativeForm,
    DeactivateForm,
    ForumForm,
    ManagerFormSet,
    OwnerForm,
    RejectForm,
    SmeFilterForm,
    SmeForm,
    VerifyForm,
    forums_for_user,
    kecamatan_for_user,
    manager_rows,
)
from .models import Cooperative, Forum, Sme
from .search import count_search

PAGE_SIZE = 50
# A filtered SME list of at most this many rows is read by primary key (CountingPaginator). Kept
# under 999, the most parameters an SQLite older than 3.32 takes in one query.
FEW_SMES = 500
# What a row of the SME list shows (registry/_sme_results.html): the rest of a wide row stays unread.
SME_LIST_COLUMNS = (
    "public_id",
    "name",
    "brand",
    "owner__name",
    "kecamatan__name",
    "desa__name",
    "kbli_category",
    "kbli_code",
    "scale",
    "status",
    "nib",
    "updated_at",
)
HISTORY_LENGTH = 50
# A filtered list of at most this many rows (a search for a name and a word) is read starting from
# its matches and sorted; a larger one by walking the sort order (CountingPaginator, sparse).
SPARSE_MATCHES = 2000
# A search is counted up to this many SMEs, and the list then says "more than"; its pages go up to
# there, and the reverse order shows the end. PostgreSQL cannot count a search from its GIN index,
# which lists table pages rather than rows: counting "k" visits the 120,000 SMEs it matches (70 ms
# at 200,000). SQLite counts a search alone exactly from FTS5 (registry.search.count_search), but
# a search with another filter ("k" + verified: 135 ms) only by testing every match.
SEARCH_COUNT_CAP = 10_000


def _load_scope(user):
    """Read an officer's kecamatan once per request: the scope helpers each ask for it."""
    if user.role == Role.OFFICER:
        prefetch_related_objects([user], "kecamatan")
    return user


def _partial(request) -> bool:
    """An htmx request for part of the page; a history restore needs the whole page again."""
    return bool(request.htmx) and not request.htmx.history_restore_request


class CountingPaginator(Paginator):
    """A paginator that counts a queryset of its own: the same rows, in the form fastest to count.

    With `few` set, a count of at most `few` rows also changes how the page is read. A page query
    walks the sort order's index, testing each row, and stops when the page is full: quick when
    many rows match, but when 30 SMEs of 100,000 have a gap it tests all 100,000. Their primary
    keys are then read from `count_from` and the page is taken from those.
    """

    def __init__(
        self,
        object_list,
        per_page,
        *,
        count_from: QuerySet,
        few: int = 0,
        counter=None,
        sparse_list: QuerySet | None = None,
        sparse: int = 0,
        cap: int | None = None,
        keys_first: bool = False,
        rows_from: QuerySet | None = None,
    ):
        super().__init__(object_list, per_page)
        self.count_from = count_from
        self.few = few
        # `counter`: a quicker way to the same count, or None (registry.search.count_search).
        self.counter = counter
        # Between `few` and `sparse` rows, the page is read from `sparse_list`: the same rows in a
        # form that starts from what matches (a search's full-text matches) and sorts them, where
        # walking the sort order would read 100 rows for each one kept.
        self.sparse_list, self.sparse = sparse_list, sparse
        # `cap`: where `counter` cannot count, count no further than this (SEARCH_COUNT_CAP);
        # `capped` then says there are more.
        self.cap, self.capped = cap, False
        # `keys_first`: read a page's keys, then its rows by key. PostgreSQL finds a search's keys in
        # name order from an index that holds each SME's words (sme_name_words_idx) without visiting
        # the table, where the rows' columns would make it visit every row it tests. And given a
        # thousand keys to sort (a page read by key), it plans the joins of the page's owner,
        # kecamatan and desa for all of them, hashing the whole owner table (46 ms → 12 ms).
        self.keys_first = keys_first
        # Where the rows of keys read first come from: the list's scope without its filters, which
        # the keys have just passed (repeated, a thousand keys of a page read by key cost 15 ms).
        self.rows_from = rows_from
        self._by_key = False

    @cached_property
    def count(self) -> int:
        counted = self.counter() if self.counter is not None else None
        if counted is not None:
            return counted
        if self.cap is None:
            return self.count_from.count()
        counted = self.count_from.order_by()[: self.cap + 1].count()
        self.capped = counted > self.cap
        return self.cap if self.capped else counted

    def _rows(self, queryset: QuerySet, bottom: int, top: int) -> list:
        if not self.keys_first:
            return list(queryset[bottom:top])
        keys_query = queryset.values_list("pk", flat=True)[bottom:top]
        if self.capped and connection.vendor == "postgresql":
            keys = _walking_the_sort_order(keys_query)
        else:
            keys = list(keys_query)
        rows = (queryset if self.rows_from is None else self.rows_from).order_by().in_bulk(keys)
        # A row deleted or merged between the two queries is left out, not shown stale.
        return [rows[key] for key in keys if key in rows]

    def page(self, number):
        if not self._by_key and 0 < self.count <= self.few:
            keys = list(self.count_from.order_by().values_list("pk", flat=True))
            # The page query keeps its own filters, so a row changed since the count cannot slip in.
            self.object_list, self._by_key = self.object_list.filter(pk__in=keys), True
        elif not self._by_key and self.sparse_list is not None and self.few < self.count <= self.sparse:
            self.object_list, self._by_key = self.sparse_list, True
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if number <= (self.num_pages + 1) // 2 or not self.object_list.ordered or self.capped:
            return self._get_page(self._rows(self.object_list, bottom, top), number, self)
        # A page in the second half is read from the end: the same rows in the reverse order (every
        # sort ends in the primary key, so the reverse is the exact mirror), skipping the pages after
        # it rather than the pages before. The last page costs what the first does, not an OFFSET
        # across the whole registry. (Not when the count stopped at its cap: the end is unknown.)
        rows = self._rows(self.object_list.reverse(), self.count - top, self.count - bottom)
        rows.reverse()
        return self._get_page(rows, number, self)


def _as_listed(smes: QuerySet) -> QuerySet:
    """SMEs with what a row of the list shows, and nothing more."""
    return smes.select_related("owner", "kecamatan", "desa").only(*SME_LIST_COLUMNS)


def _walking_the_sort_order(keys_query) -> list:
    """The keys of a page of a search matching more than SEARCH_COUNT_CAP SMEs, read on PostgreSQL
    by walking the sort order's index rather than by collecting the matches and sorting them.

    PostgreSQL has no statistics for a prefix ("k:*" is estimated at 4,000 SMEs when it matches
    120,000), so for page 200 it would sort all 120,000 matches (130 ms) where walking the name
    index to the 10,000th match takes 22 ms. The count has just shown that many match, so the walk
    is the right plan. SET LOCAL lasts to the end of the transaction; RESET puts it back sooner, and
    if the query fails the rollback does.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        keys = list(keys_query)
        cursor.execute("RESET enable_bitmapscan")
    return keys


def _page(queryset: QuerySet, request, *, count_from: QuerySet | None = None, **counting):
    paginator = (
        Paginator(queryset, PAGE_SIZE)
        if count_from is None
        else CountingPaginator(queryset, PAGE_SIZE, count_from=count_from, **counting)
    )
    return paginator.get_page(request.GET.get("page"))


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# --- SMEs --------------------------------------------------------------------------------------


def get_sme_for_user(user, public_id) -> Sme:
    """The one way a view reaches an SME: out of the user's scope answers 404."""
    return get_object_or_404(
        Sme.objects.for_user(user).select_related(
            "owner", "owner__kecamatan", "owner__desa", "kecamatan", "desa", "forum", "verified_by"
        ),
        public_id=public_id,
    )


@role_required(*DINAS)
def sme_list(request):
    _load_scope(request.user)
    form = SmeFilterForm(request.GET, user=request.user)
    scope = Sme.objects.for_user(request.user)
    # A page walks the sort order's index and tests each row; when the count finds few enough
    # rows, it starts from what matches (a search's full-text matches) instead (sparse_list).
    smes = _as_listed(form.apply(scope))
    count_from = form.apply(scope, for_count=True)
    search = form.search_only() if request.user.kecamatan_scope() is None else None
    searching = bool(form.filters().get("q"))
    page = _page(
        smes,
        request,
        count_from=count_from,
        # PostgreSQL would walk the name index for a search's matches, so its few are read by key
        # up to SPARSE_MATCHES (it takes that many parameters); SQLite starts from the matches.
        few=FEW_SMES if connection.vendor == "sqlite" else SPARSE_MATCHES,
        counter=(lambda: count_search(search)) if search else None,
        sparse_list=_as_listed(count_from),
        sparse=SPARSE_MATCHES,
        cap=SEARCH_COUNT_CAP if searching else None,
        # Not for the unfiltered list: it walks the name index as it is, and the keys would cost
        # a query more.
        keys_first=connection.vendor == "postgresql" and form.filtered(),
        rows_from=_as_listed(scope),
    )
    sort = form.current_sort
    context = {
        "form": form,
        "page": page,
        "sort": sort,
        "reverse_sort": sort[1:] if sort.startswith("-") else f"-{sort}",
        "query": _query_without(request, "page", "sort"),
        "page_query": _query_without(request, "page"),
        "export_query": _query_without(request, "page"),
    }
    template = "registry/_sme_results.html" if _partial(request) else "registry/sme_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _export(request, export):
    form = SmeFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        # The list ignores a bad filter; an export must not quietly hold more rows than asked for.
        messages.error(request, _("The export was not made: correct the filters marked below."))
        return redirect(f"{reverse('registry:sme_list')}?{_query_without(request, 'page', 'personal')}")
    smes = form.apply(Sme.objects.for_user(request.user))
    query = {k: v for k, v in request.GET.items() if k not in ("page", "personal") and v}
    return export(
        smes=smes,
        user=request.user,
        include_personal=request.GET.get("personal") == "1",
        detail=exports.export_detail(query),
    )


@role_required(*DINAS)
def sme_export_csv(request):
    _load_scope(request.user)
    return _export(request, exports.export_csv)


@role_required(*DINAS)
def sme_export_xlsx(request):
    _load_scope(request.user)
    return _export(request, exports.export_xlsx)


@role_required(*DINAS)
def sme_export_sidt(request):
    _load_scope(request.user)
    return _export(request, exports.export_sidt)


def _detail_context(request, sme: Sme, **extra) -> dict:
    dinas = can_see_personal_data(request.user)
    today = timezone.localdate()
    # Duplicates folded into this record: listed, and their own history shown with this one's.
    merged = list(
        Sme.objects.filter(merged_into=sme)
        .only("public_id", "name", "nib", "source", "updated_at")
        .order_by("-updated_at")
    )
    context = {
        "sme": sme,
        "merged": merged,
        "permits": [
            (permit, services.permit_state(permit, today=today), services.pirt_expiry_year(permit))
            for permit in sme.permits.order_by("kind", "-expires_on", "id")
        ],
        "scale_history": list(sme.scale_history.all()),
        "history": history_for(sme, also=merged)[:HISTORY_LENGTH],
        "history_of": str(sme.pk),
        "is_dinas": dinas,
        "revealed": False,
        "can_edit": dinas,
    }
    if dinas:
        context.update(
            verify_form=VerifyForm(prefix="verify"),
            reject_form=RejectForm(prefix="reject"),
            deactivate_form=DeactivateForm(prefix="deactivate"),
        )
    context.update(extra)
    return context


@signed_in
def sme_detail(request, public_id):
    # Any role may ask; get_sme_for_user answers 404 unless Dinas in scope or the SME's own owner,
    # so that nobody learns from a 403 that a record exists.
    _load_scope(request.user)
    try:
        sme = get_sme_for_user(request.user, public_id)
    except Http404:
        survivor = _survivor_of_merged(request.user, public_id)
        if survivor is None:
            raise
        # An old link or bookmark to a merged duplicate leads to the record it was merged into.
        messages.info(request, _("That record was merged into this one."))
        return redirect("registry:sme_detail", public_id=survivor.public_id)
    # The owner is the data subject: their own NIK and phone in full (get_sme_for_user gives an SME
    # owner only their own records), logged like any other unmasked view.
    own = request.user.role == Role.SME_OWNER and not can_see_personal_data(request.user)
    fields = personal_fields(sme) if own else []
    if fields:
        log_personal_access(user=request.user, kind="view", fields=fields, obj=sme, detail="own record")
    return render(request, "registry/sme_detail.html", _detail_context(request, sme, revealed=own))


def _survivor_of_merged(user, public_id) -> Sme | None:
    """The record a merged SME now lives on, if the user may see it; None otherwise."""
    merged_into = Sme.objects.filter(public_id=public_id).values_list("merged_into_id", flat=True).first()
    if merged_into is None:
        return None
    return Sme.objects.for_user(user).filter(pk=merged_into).only("public_id").first()


def personal_fields(sme: Sme) -> list[str]:
    """The personal data a record page reveals, by name, for the access log."""
    fields = [
        f"owner.{f}" for f in ("nik", "birth_date", "phone", "address") if sme.owner and getattr(sme.owner, f)
    ]
    return fields + [f for f in Sme.PERSONAL_FIELDS if getattr(sme, f)]


@role_required(*DINAS)
@require_POST
def sme_personal(request, public_id):
    """Reveal the owner's NIK, birth date, phone and address; every reveal is logged."""
    _load_scope(request.user)
    sme = get_sme_for_user(request.user, public_id)
    log_personal_access(user=request.user, kind="view", fields=personal_fields(sme), obj=sme)
    if _partial(request):
        return render(request, "registry/_sme_personal.html", {"sme": sme, "revealed": True})
    return render(request, "registry/sme_detail.html", _detail_context(request, sme, revealed=True))


_STATUS_ACTIONS = {
    "verify": (
        VerifyForm,
        lambda sme, user, data: services.verify_sme(sme=sme, officer=user, note=data["note"]),
    ),
    "reject": (
        RejectForm,
        lambda sme, user, data: services.reject_sme(sme=sme, officer=user, reason=data["reason"]),
    ),
    "deactivate": (
        DeactivateForm,
        lambda sme, user, data: services.deactivate_sme(sme=sme, officer=user, reason=data["reason"]),
    ),
}
_STATUS_DONE = {
    "verify": lambda: _("The SME is verified."),
    "reject": lambda: _("The SME is rejected."),
    "deactivate": lambda: _("The SME is deactivated."),
}


@role_required(*DINAS)
@require_POST
def sme_status(request, public_id, action):
    _load_scope(request.user)
    if action not in _STATUS_ACTIONS:
        raise Http404
    sme = get_sme_for_user(request.user, public_id)
    form_class, service = _STATUS_ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            service(sme, request.user, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _STATUS_DONE[action]())
            return redirect("registry:sme_detail", public_id=sme.public_id)
    context = _detail_context(request, sme, **{f"{action}_form": form, "open_action": action})
    return render(request, "registry/sme_detail.html", context, status=400)


def _sme_form_page(request, *, sme: Sme | None):
    """Create (sme None) or edit an SME with its owner; one service call on success."""
    owner = sme.owner if sme else None
    title = sme.name if sme else ""
    data = request.POST if request.method == "POST" else None
    form = SmeForm(data, instance=sme, user=request.user)
    # An imported SME may have no owner on record; its edit form may leave the owner blank.
    owner_form = OwnerForm(
        data, instance=owner, links_existing=sme is None, empty_permitted=sme is not None and owner is None
    )
    if data is not None and form.is_valid() and owner_form.is_valid():
        if sme is None:
            sme = services.create_sme(
                actor=request.user, data=form.service_data(), owner_data=owner_form.service_data()
            )
            messages.success(request, _("The SME is registered as a draft."))
        else:
            services.update_sme(
                sme=sme, actor=request.user, data=form.service_data(), owner_data=owner_form.service_data()
            )
            messages.success(request, _("The changes are saved."))
        return redirect("registry:sme_detail", public_id=sme.public_id)
    if sme is not None and owner is not None:
        # The edit form shows the owner's NIK, birth date and phone in clear.
        log_personal_access(user=request.user, kind="view", fields=personal_fields(sme), obj=sme)
    return render(
        request,
        "registry/sme_form.html",
        {"form": form, "owner_form": owner_form, "sme": sme, "title": title},
        status=400 if data is not None else 200,
    )


@role_required(*DINAS)
def sme_create(request):
    _load_scope(request.user)
    return _sme_form_page(request, sme=None)


@role_required(*DINAS)
def sme_edit(request, public_id):
    _load_scope(request.user)
    return _sme_form_page(request, sme=get_sme_for_user(request.user, public_id))


@role_required(*DINAS, Role.SME_OWNER)
def desa_options(request):
    """<option>s of the desa of a kecamatan, for a desa select that follows its kecamatan select."""
    _load_scope(request.user)
    code = next((v for k, v in request.GET.items() if k.endswith("kecamatan") and v), "")
    scope = kecamatan_for_user(request.user) if request.user.is_dinas else Region.objects.kecamatan()
    kecamatan = scope.filter(code=code).first() if code else None
    desa = kecamatan.children.order_by("name") if kecamatan else Region.objects.none()
    return render(request, "registry/_desa_options.html", {"desa": desa, "kecamatan": kecamatan})


# --- cooperatives ------------------------------------------------------------------------------


def cooperatives_for_user(user) -> QuerySet:
    cooperatives = Cooperative.objects.all()
    scope = user.kecamatan_scope()
    return cooperatives if scope is None else cooperatives.filter(kecamatan_id__in=scope)


def get_cooperative_for_user(user, public_id) -> Cooperative:
    return get_object_or_404(
        cooperatives_for_user(user).select_related("kecamatan", "desa"), public_id=public_id
    )


@role_required(*DINAS)
def cooperative_list(request):
    _load_scope(request.user)
    form = CooperativeFilterForm(request.GET, user=request.user)
    cooperatives = form.apply(cooperatives_for_user(request.user)).select_related("kecamatan", "desa")
    context = {
        "form": form,
        "page": _page(cooperatives.order_by("name", "id"), request),
        "page_query": _query_without(request, "page"),
    }
    return render(request, "registry/cooperative_list.html", context)


@role_required(*DINAS)
def cooperative_detail(request, public_id):
    _load_scope(request.user)
    cooperative = get_cooperative_for_user(request.user, public_id)
    overdue_since = services.rat_overdue_since(timezone.localdate())
    context = {
        "cooperative": cooperative,
        "rat_overdue": cooperative.last_rat_date is None or cooperative.last_rat_date < overdue_since,
        "managers": cooperative.managers.order_by("id"),
        "history": history_for(cooperative)[:HISTORY_LENGTH],
    }
    return render(request, "registry/cooperative_detail.html", context)


def _cooperative_form_page(request, *, cooperative: Cooperative | None):
    title = cooperative.name if cooperative else ""
    data = request.POST if request.method == "POST" else None
    form = CooperativeForm(data, instance=cooperative, user=request.user)
    formset = ManagerFormSet(data, instance=cooperative or Cooperative(), prefix="managers")
    if data is not None and form.is_valid() and formset.is_valid():
        if cooperative is None:
            cooperative = services.create_cooperative(
                actor=request.user, data=form.service_data(), managers=manager_rows(formset)
            )
            messages.success(request, _("The cooperative is registered."))
        else:
            services.update_cooperative(
                cooperative=cooperative,
                actor=request.user,
                data=form.service_data(),
                managers=manager_rows(formset),
            )
            messages.success(request, _("The changes are saved."))
        return redirect("registry:cooperative_detail", public_id=cooperative.public_id)
    return render(
        request,
        "registry/cooperative_form.html",
        {"form": form, "formset": formset, "cooperative": cooperative, "title": title},
        status=400 if data is not None else 200,
    )


@role_required(*DINAS)
def cooperative_create(request):
    _load_scope(request.user)
    return _cooperative_form_page(request, cooperative=None)


@role_required(*DINAS)
def cooperative_edit(request, public_id):
    _load_scope(request.user)
    return _cooperative_form_page(request, cooperative=get_cooperative_for_user(request.user, public_id))


# --- forums ------------------------------------------------------------------------------------


def get_forum_for_user(user, pk) -> Forum:
    return get_object_or_404(forums_for_user(user).select_related("kecamatan", "coordinator"), pk=pk)


@role_required(*DINAS)
def forum_list(request):
    _load_scope(request.user)
    scope = forums_for_user(request.user)
    forums = (
        scope.select_related("kecamatan", "coordinator")
        .annotate(member_count=Count("members", filter=Q(members__merged_into__isnull=True)))
        .order_by("name", "id")
    )
    # Counted without the member join: the number of forums needs no GROUP BY over SMEs.
    return render(request, "registry/forum_list.html", {"page": _page(forums, request, count_from=scope)})


@role_required(*DINAS)
def forum_detail(request, pk):
    _load_scope(request.user)
    forum = get_forum_for_user(request.user, pk)
    members = (
        Sme.objects.for_user(request.user).filter(forum=forum).select_related("kecamatan", "desa", "owner")
    )
    context = {
        "forum": forum,
        "page": _page(members.order_by("name", "id"), request),
        "history": history_for(forum)[:HISTORY_LENGTH],
    }
    return render(request, "registry/forum_detail.html", context)


@role_required(*DINAS)
def forum_edit(request, pk):
    _load_scope(request.user)
    forum = get_forum_for_user(request.user, pk)
    title = forum.name
    data = request.POST if request.method == "POST" else None
    form = ForumForm(data, instance=forum, user=request.user)
    if data is not None and form.is_valid():
        services.update_forum(forum=forum, actor=request.user, data=form.service_data())
        messages.success(request, _("The changes are saved."))
        return redirect("registry:forum_detail", pk=forum.pk)
    return render(
        request,
        "registry/forum_form.html",
        {"form": form, "forum": forum, "title": title},
        status=400 if data is not None else 200,
    )
