from django.shortcuts import render

from sentra.accounts.models import Role
from sentra.core.permissions import role_required

from .models import Sme


@role_required(Role.SME_OWNER)
def my_smes(request):
    return render(request, "registry/owner/my_smes.html", {"smes": Sme.objects.for_user(request.user)})
