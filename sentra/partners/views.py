"""The officers' partnership pages: partners, agreements and their activities, foster parents, offers.

Agreement and foster-parent pages also open to the partner users of the organisations concerned,
read-only (their scope helpers answer 404 for anything else).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sentra.accounts.models import Role
from sentra.core.audit import history_for
from sentra.core.permissions import DINAS, role_required
from sentra.registry.models import Sme
from sentra.registry.search import search_smes

from . import report, services
from .forms import (
    ActivityForm,
    AgreementFilterForm,
    AgreementForm,
    EndAgreementForm,
    EvidenceForm,
    FosterForm,
    PartnerFilterForm,
    PartnerForm,
    SmePickForm,
)
from .models import Activity, Agreement, ConsentGrant, Evidence, FosterAssignment, Offer, Partner

PAGE_SIZE = 25
PICK_RESULTS = 10
HISTORY_LENGTH = 50


def page_of(queryset: QuerySet, request, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def is_partial(request) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _partner_from_query(request) -> Partner | None:
    """The partner a "new agreement" or "new assignment" link from a partner's page comes with."""
    try:
        return Partner.objects.filter(public_id=request.GET.get("partner") or None).first()
    except ValidationError:
        return None


def _form_page(request, template: str, context: dict, *, bound: bool):
    return render(request, template, context, status=400 if bound else 200)


# --- scope -------------------------------------------------------------------------------------


def partners_for_user(user) -> QuerySet:
    """Dinas staff reach every partner; a partner user their own organisations; nobody else any."""
    if user.is_dinas:
        return Partner.objects.all()
    if user.role == Role.PARTNER:
        return Partner.objects.of_user(user)
    return Partner.objects.none()


def get_partner_for_user(user, public_id) -> Partner:
    return get_object_or_404(partners_for_user(user).select_related("kecamatan"), public_id=public_id)


def agreements_for_user(user) -> QuerySet:
    if user.is_dinas:
        return Agreement.objects.all()
    return Agreement.objects.filter(partners__in=partners_for_user(user)).distinct()


def get_agreement_for_user(user, public_id) -> Agreement:
    return get_object_or_404(
        agreements_for_user(user).select_related("officer", "renews"), public_id=public_id
    )


def fosters_for_user(user) -> QuerySet:
    if user.is_dinas:
        return FosterAssignment.objects.all()
    return FosterAssignment.objects.filter(partner__in=partners_for_user(user))


def get_foster_for_user(user, public_id) -> FosterAssignment:
    return get_object_or_404(
        fosters_for_user(user).select_related("partner", "kecamatan", "agreement", "officer"),
        public_id=public_id,
    )


def get_activity_for_user(user, public_id) -> Activity:
    activities = Activity.objects.filter(
        Q(agreement__in=agreements_for_user(user)) | Q(foster__in=fosters_for_user(user))
    )
    return get_object_or_404(
        activities.select_related("agreement", "foster", "foster__partner", "created_by"), public_id=public_id
    )


# --- partners ----------------------------------------------------------------------------------


@role_required(*DINAS)
def partner_list(request):
    form = PartnerFilterForm(request.GET)
    partners = (
        form.apply(Partner.objects.all())
        .select_related("kecamatan")
        .annotate(
            agreement_count=Count("agreements", distinct=True),
            user_count=Count("users", distinct=True),
        )
        .order_by("name", "id")
    )
    context = {"form": form, "page": page_of(partners, request), "page_query": query_without(request, "page")}
    return render(request, "partners/partner_list.html", context)


def _partner_form_page(request, *, partner: Partner | None):
    data = request.POST if request.method == "POST" else None
    form = PartnerForm(data, instance=partner)
    if data is not None and form.is_valid():
        try:
            if partner is None:
                partner = services.create_partner(
                    actor=request.user, data=form.service_data(), users=form.cleaned_data["users"]
                )
                messages.success(request, _("The partner is registered."))
            else:
                services.update_partner(
                    partner=partner,
                    actor=request.user,
                    data=form.service_data(),
                    users=form.cleaned_data["users"],
                )
                messages.success(request, _("The changes are saved."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("partners:partner_detail", public_id=partner.public_id)
    return _form_page(
        request, "partners/partner_form.html", {"form": form, "partner": partner}, bound=data is not None
    )


@role_required(*DINAS)
def partner_create(request):
    return _partner_form_page(request, partner=None)


@role_required(*DINAS)
def partner_edit(request, public_id):
    return _partner_form_page(request, partner=get_partner_for_user(request.user, public_id))


@role_required(*DINAS)
def partner_detail(request, public_id):
    partner = get_partner_for_user(request.user, public_id)
    today = timezone.localdate()
    offers = Offer.objects.filter(partner=partner, sme__in=Sme.objects.for_user(request.user))
    context = {
        "partner": partner,
        "today": today,
        "users": partner.users.order_by("username"),
        "agreements": [
            (a, a.state(today), a.state_label(today))
            for a in partner.agreements.order_by("-starts_on", "-id")
        ],
        "fosters": partner.foster_assignments.select_related("kecamatan").order_by("-starts_on"),
        "offer_counts": dict(offers.values_list("status").annotate(n=Count("id")).order_by()),
        "offers": offers.select_related("sme")[:10],
        "reachable": ConsentGrant.objects.filter(
            kind=partner.kind, sme__merged_into__isnull=True, sme__status=Sme.Status.VERIFIED
        ).count(),
        "history": history_for(partner).select_related("actor")[:HISTORY_LENGTH],
    }
    return render(request, "partners/partner_detail.html", context)


# --- agreements --------------------------------------------------------------------------------


def _agreements_in_state(agreements: QuerySet, state: str, today) -> QuerySet:
    signed = agreements.filter(status=Agreement.Status.SIGNED)
    if state == Agreement.State.DRAFT:
        return agreements.filter(status=Agreement.Status.DRAFT)
    if state == Agreement.State.ENDED:
        return agreements.filter(status=Agreement.Status.ENDED)
    if state == Agreement.State.UPCOMING:
        return signed.filter(starts_on__gt=today)
    if state == Agreement.State.EXPIRED:
        return signed.filter(ends_on__lt=today)
    # Running or expiring: which of the two depends on each agreement's own notice; refined per row.
    return signed.filter(starts_on__lte=today, ends_on__gte=today)


@role_required(*DINAS)
def agreement_list(request):
    today = timezone.localdate()
    form = AgreementFilterForm(request.GET)
    f = form.filters()
    agreements = Agreement.objects.all()
    if f.get("q"):
        agreements = agreements.filter(Q(number__icontains=f["q"]) | Q(title__icontains=f["q"]))
    if f.get("kind"):
        agreements = agreements.filter(kind=f["kind"])
    state = f.get("state")
    if state:
        agreements = _agreements_in_state(agreements, state, today)
    agreements = agreements.prefetch_related(
        Prefetch("partners", queryset=Partner.objects.order_by("name").only("public_id", "name"))
    ).annotate(activity_count=Count("activities"))
    rows = [(a, a.state(today), a.state_label(today)) for a in agreements.order_by("ends_on", "id")]
    if state in (Agreement.State.RUNNING, Agreement.State.EXPIRING):
        rows = [row for row in rows if row[1] == state]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "page_query": query_without(request, "page"), "today": today}
    return render(request, "partners/agreement_list.html", context)


def _agreement_form_page(request, *, agreement: Agreement | None):
    data = request.POST if request.method == "POST" else None
    initial = {}
    if agreement is None and (partner := _partner_from_query(request)):
        initial["partners"] = [partner]
    form = AgreementForm(data, request.FILES or None, instance=agreement, initial=initial)
    if data is not None and form.is_valid():
        upload = form.cleaned_data.get("upload")
        try:
            if agreement is None:
                agreement = services.create_agreement(
                    actor=request.user,
                    data=form.service_data(),
                    partners=form.cleaned_data["partners"],
                    signed_file=upload,
                )
                messages.success(request, _("The agreement is registered."))
            else:
                services.update_agreement(
                    agreement=agreement,
                    actor=request.user,
                    data=form.service_data(),
                    partners=form.cleaned_data["partners"],
                    signed_file=upload,
                )
                messages.success(request, _("The changes are saved."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("partners:agreement_detail", public_id=agreement.public_id)
    return _form_page(
        request,
        "partners/agreement_form.html",
        {"form": form, "agreement": agreement},
        bound=data is not None,
    )


@role_required(*DINAS)
def agreement_create(request):
    return _agreement_form_page(request, agreement=None)


@role_required(*DINAS)
def agreement_edit(request, public_id):
    return _agreement_form_page(request, agreement=get_agreement_for_user(request.user, public_id))


def _agreement_context(request, agreement: Agreement, **extra) -> dict:
    today = timezone.localdate()
    dinas = request.user.is_dinas
    context = {
        "agreement": agreement,
        "state": agreement.state(today),
        "state_label": agreement.state_label(today),
        "partners": agreement.partners.order_by("name"),
        "renewals": agreement.renewals.order_by("-starts_on"),
        "activities": agreement.activities.annotate(
            sme_count=Count("smes", distinct=True), evidence_count=Count("evidence", distinct=True)
        ).order_by("-starts_on", "-id"),
        "fosters": agreement.foster_assignments.select_related("partner", "kecamatan"),
        "smes_involved": Sme.objects.filter(partner_activities__agreement=agreement).distinct().count(),
        "is_dinas": dinas,
    }
    if dinas:
        context["end_form"] = EndAgreementForm()
        context["history"] = history_for(agreement).select_related("actor")[:HISTORY_LENGTH]
    context.update(extra)
    return context


@role_required(*DINAS, Role.PARTNER)
def agreement_detail(request, public_id):
    agreement = get_agreement_for_user(request.user, public_id)
    return render(request, "partners/agreement_detail.html", _agreement_context(request, agreement))


@role_required(*DINAS)
@require_POST
def agreement_end(request, public_id):
    agreement = get_agreement_for_user(request.user, public_id)
    form = EndAgreementForm(request.POST)
    if form.is_valid():
        try:
            services.end_agreement(agreement=agreement, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The agreement is marked as ended."))
            return redirect("partners:agreement_detail", public_id=agreement.public_id)
    context = _agreement_context(request, agreement, end_form=form, open_end=True)
    return render(request, "partners/agreement_detail.html", context, status=400)


@role_required(*DINAS, Role.PARTNER)
def agreement_file(request, public_id):
    agreement = get_agreement_for_user(request.user, public_id)
    if not agreement.signed_file:
        raise Http404
    name = f"{agreement.number}.pdf".replace("/", "-")
    return FileResponse(agreement.signed_file.open("rb"), content_type="application/pdf", filename=name)


# --- activities --------------------------------------------------------------------------------


def _activity_form_page(request, *, parent, activity: Activity | None):
    data = request.POST if request.method == "POST" else None
    initial = {}
    if activity is not None:
        initial = {f: getattr(activity, f) for f in ActivityForm.base_fields}
    form = ActivityForm(data, initial=initial)
    if data is not None and form.is_valid():
        try:
            if activity is None:
                activity = services.record_activity(actor=request.user, parent=parent, data=form.cleaned_data)
                messages.success(
                    request, _("The activity is recorded. Add the SMEs involved and the evidence.")
                )
            else:
                services.update_activity(activity=activity, actor=request.user, data=form.cleaned_data)
                messages.success(request, _("The changes are saved."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("partners:activity_detail", public_id=activity.public_id)
    context = {
        "form": form,
        "parent": parent,
        "activity": activity,
        "is_agreement": isinstance(parent, Agreement),
    }
    return _form_page(request, "partners/activity_form.html", context, bound=data is not None)


@role_required(*DINAS)
def agreement_activity_create(request, public_id):
    return _activity_form_page(request, parent=get_agreement_for_user(request.user, public_id), activity=None)


@role_required(*DINAS)
def foster_activity_create(request, public_id):
    return _activity_form_page(request, parent=get_foster_for_user(request.user, public_id), activity=None)


@role_required(*DINAS)
def activity_edit(request, public_id):
    activity = get_activity_for_user(request.user, public_id)
    return _activity_form_page(request, parent=activity.parent, activity=activity)


def _pick(request, *, chosen: QuerySet, limit_to: QuerySet | None = None) -> tuple[SmePickForm, list[Sme]]:
    """SMEs matching the pick search, within the officer's scope, not already chosen."""
    form = SmePickForm(request.GET)
    query = form.cleaned_data.get("q") if form.is_valid() else ""
    if not query:
        return form, []
    smes = Sme.objects.for_user(request.user)
    if limit_to is not None:
        smes = smes.filter(pk__in=limit_to.values("pk"))
    smes = search_smes(smes.exclude(pk__in=chosen.values("pk")), query)
    return form, list(smes.select_related("kecamatan", "desa").order_by("name", "id")[:PICK_RESULTS])


def _activity_context(request, activity: Activity, **extra) -> dict:
    dinas = request.user.is_dinas
    involved = activity.smes.all()
    context = {
        "activity": activity,
        "parent": activity.parent,
        "is_dinas": dinas,
        "involved_count": involved.count(),
        "evidence": activity.evidence.select_related("uploaded_by"),
    }
    if dinas:
        limit_to = report.groups(activity.foster)[0] if activity.foster_id else None
        form, found = _pick(request, chosen=involved, limit_to=limit_to)
        context.update(
            involved=involved.select_related("kecamatan", "desa").order_by("name"),
            pick_form=form,
            found=found,
            pick_action=reverse("partners:activity_smes", args=[activity.public_id]),
            evidence_form=EvidenceForm(),
        )
    context.update(extra)
    return context


@role_required(*DINAS, Role.PARTNER)
def activity_detail(request, public_id):
    activity = get_activity_for_user(request.user, public_id)
    context = _activity_context(request, activity)
    if request.user.is_dinas and is_partial(request) and request.htmx.target == "pick-results":
        return render(request, "partners/_pick_results.html", context)
    if request.user.is_dinas:
        context["history"] = history_for(activity).select_related("actor")[:HISTORY_LENGTH]
    return render(request, "partners/activity_detail.html", context)


def _picked_smes(request) -> list[Sme]:
    ids = request.POST.getlist("sme")[:50]
    try:
        return list(Sme.objects.for_user(request.user).filter(public_id__in=ids))
    except ValidationError:
        return []


@role_required(*DINAS)
@require_POST
def activity_smes(request, public_id):
    activity = get_activity_for_user(request.user, public_id)
    smes = _picked_smes(request)
    if request.POST.get("action") == "remove":
        for sme in smes:
            services.remove_activity_sme(activity=activity, actor=request.user, sme=sme)
        messages.success(request, _("Removed from the activity."))
    elif smes:
        added = services.add_activity_smes(activity=activity, actor=request.user, smes=smes)
        messages.success(
            request,
            ngettext("%(count)s SME added to the activity.", "%(count)s SMEs added to the activity.", added)
            % {"count": added},
        )
    else:
        messages.error(request, _("Choose an SME first."))
    return redirect("partners:activity_detail", public_id=activity.public_id)


@role_required(*DINAS)
@require_POST
def activity_evidence(request, public_id):
    activity = get_activity_for_user(request.user, public_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_evidence(
            activity=activity,
            actor=request.user,
            upload=form.cleaned_data["file"],
            kind=form.kind,
            caption=form.cleaned_data["caption"],
        )
        messages.success(request, _("The evidence is added."))
        return redirect("partners:activity_detail", public_id=activity.public_id)
    context = _activity_context(
        request,
        activity,
        evidence_form=form,
        history=history_for(activity).select_related("actor")[:HISTORY_LENGTH],
    )
    return render(request, "partners/activity_detail.html", context, status=400)


@role_required(*DINAS, Role.PARTNER)
def evidence_file(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("activity"), pk=pk)
    # Through the activity's scope: an activity out of reach answers 404 for its evidence too.
    get_activity_for_user(request.user, evidence.activity.public_id)
    content_type = "application/pdf" if evidence.kind == Evidence.Kind.DOCUMENT else None
    return FileResponse(evidence.file.open("rb"), content_type=content_type)


# --- foster parents ----------------------------------------------------------------------------


@role_required(*DINAS)
def foster_list(request):
    today = timezone.localdate()
    fosters = (
        FosterAssignment.objects.select_related("partner", "kecamatan")
        .annotate(sme_count=Count("smes", distinct=True), activity_count=Count("activities", distinct=True))
        .order_by("-starts_on", "-id")
    )
    context = {
        "page": page_of(fosters, request),
        "page_query": query_without(request, "page"),
        "today": today,
    }
    return render(request, "partners/foster_list.html", context)


def _foster_form_page(request, *, assignment: FosterAssignment | None):
    data = request.POST if request.method == "POST" else None
    initial = {}
    if assignment is None and (partner := _partner_from_query(request)):
        initial["partner"] = partner
    form = FosterForm(data, instance=assignment, initial=initial)
    if data is not None and form.is_valid():
        try:
            if assignment is None:
                assignment = services.create_foster(
                    actor=request.user, data=form.service_data(), goals=form.goals()
                )
                messages.success(request, _("The foster-parent assignment is registered."))
            else:
                services.update_foster(
                    assignment=assignment, actor=request.user, data=form.service_data(), goals=form.goals()
                )
                messages.success(request, _("The changes are saved."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("partners:foster_detail", public_id=assignment.public_id)
    return _form_page(
        request, "partners/foster_form.html", {"form": form, "assignment": assignment}, bound=data is not None
    )


@role_required(*DINAS)
def foster_create(request):
    return _foster_form_page(request, assignment=None)


@role_required(*DINAS)
def foster_edit(request, public_id):
    return _foster_form_page(request, assignment=get_foster_for_user(request.user, public_id))


@role_required(*DINAS, Role.PARTNER)
def foster_detail(request, public_id):
    assignment = get_foster_for_user(request.user, public_id)
    dinas = request.user.is_dinas
    result = report.foster_report(assignment)
    context = {"assignment": assignment, "report": result, "is_dinas": dinas}
    if dinas:
        listed = assignment.smes.all()
        area = Sme.objects.filter(kecamatan_id=assignment.kecamatan_id) if assignment.kecamatan_id else None
        form, found = _pick(request, chosen=listed, limit_to=area)
        context.update(
            pick_form=form,
            found=found,
            pick_action=reverse("partners:foster_smes", args=[assignment.public_id]),
        )
        if is_partial(request) and request.htmx.target == "pick-results":
            return render(request, "partners/_pick_results.html", context)
        adopted, _others, _label = report.groups(assignment)
        smes = report.with_scales(
            adopted.filter(pk__in=Sme.objects.for_user(request.user).values("pk")), result.period
        ).select_related("kecamatan", "desa")
        page = page_of(smes.order_by("name", "id"), request)
        context.update(
            page=page,
            page_query=query_without(request, "page"),
            adopted_rows=report.add_progress(list(page), result.period),
            has_list=listed.exists(),
            history=history_for(assignment).select_related("actor")[:HISTORY_LENGTH],
        )
    return render(request, "partners/foster_detail.html", context)


@role_required(*DINAS)
@require_POST
def foster_smes(request, public_id):
    assignment = get_foster_for_user(request.user, public_id)
    smes = _picked_smes(request)
    if request.POST.get("action") == "remove":
        for sme in smes:
            services.remove_foster_sme(assignment=assignment, actor=request.user, sme=sme)
        messages.success(request, _("Removed from the adopted SMEs."))
    elif smes:
        try:
            added = services.add_foster_smes(assignment=assignment, actor=request.user, smes=smes)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                ngettext("%(count)s SME adopted.", "%(count)s SMEs adopted.", added) % {"count": added},
            )
    else:
        messages.error(request, _("Choose an SME first."))
    return redirect("partners:foster_detail", public_id=assignment.public_id)


# --- the offers' flow --------------------------------------------------------------------------


@role_required(*DINAS)
def offer_list(request):
    """Every partner's offers to SMEs in the officer's scope, and how many SMEs consent to each kind."""
    in_scope = Sme.objects.for_user(request.user)
    offers = Offer.objects.filter(sme__in=in_scope)
    status = request.GET.get("status", "")
    if status in Offer.Status.values:
        offers = offers.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in Partner.Kind.values:
        offers = offers.filter(partner__kind=kind)
    counts = dict(
        Offer.objects.filter(sme__in=in_scope).values_list("status").annotate(n=Count("id")).order_by()
    )
    consenting = ConsentGrant.objects.filter(Exists(in_scope.verified().filter(pk=OuterRef("sme_id"))))
    consents = dict(consenting.values_list("kind").annotate(n=Count("id")).order_by())
    context = {
        "page": page_of(
            offers.select_related("partner", "sme", "sme__kecamatan").order_by("-sent_at", "-id"), request
        ),
        "page_query": query_without(request, "page"),
        "status": status,
        "kind": kind,
        "statuses": Offer.Status.choices,
        "kinds": Partner.Kind.choices,
        "counts": [(value, label, counts.get(value, 0)) for value, label in Offer.Status.choices],
        "consents": [
            (label, consents[value]) for value, label in Partner.Kind.choices if consents.get(value)
        ],
        "consenting_smes": consenting.values("sme_id").distinct().count(),
        "today": timezone.localdate(),
    }
    return render(request, "partners/offer_list.html", context)
