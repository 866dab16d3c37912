from django.shortcuts import render

from sentra.core.permissions import DINAS, role_required


@role_required(*DINAS)
def start(request):
    return render(request, "imports/start.html")
