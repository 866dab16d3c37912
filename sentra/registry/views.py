from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from sentra.accounts.models import Role
from sentra.core.audit import history_for
from sentra.core.permissions import DINAS, role_required

from .models import Cooperative, Sme


def get_sme_for_user(user, public_id) -> Sme:
    """The one way a view reaches an SME: out of the user's scope answers 404."""
    return get_object_or_404(
        Sme.objects.for_user(user).select_related("owner", "kecamatan", "desa", "forum"), public_id=public_id
    )


@role_required(*DINAS)
def sme_list(request):
    smes = Sme.objects.for_user(request.user).select_related("kecamatan")
    page = Paginator(smes, 50).get_page(request.GET.get("page"))
    return render(request, "registry/sme_list.html", {"page": page})


@role_required(*DINAS, Role.SME_OWNER)
def sme_detail(request, public_id):
    sme = get_sme_for_user(request.user, public_id)
    return render(request, "registry/sme_detail.html", {"sme": sme, "history": history_for(sme)[:50]})


@role_required(*DINAS)
def cooperative_list(request):
    page = Paginator(Cooperative.objects.select_related("kecamatan"), 50).get_page(request.GET.get("page"))
    return render(request, "registry/cooperative_list.html", {"page": page})
