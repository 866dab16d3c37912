from django.shortcuts import render

from sentra.core.permissions import DINAS, role_required


@role_required(*DINAS)
def queue(request):
    return render(request, "registry/review/queue.html")
