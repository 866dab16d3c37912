"""The public page a completion certificate's QR leads to: is this certificate real?

It shows what the certificate itself shows — its number, the business and its owner's name, the
programme, its organiser and dates — and whether it still stands. Nothing more: no NIK, no phone,
no address. It is found only by the certificate's unguessable id.
"""

from django.shortcuts import get_object_or_404, render

from sentra.core.permissions import public

from .models import CompletionCertificate


@public
def certificate_verify(request, public_id):
    certificate = get_object_or_404(
        CompletionCertificate.objects.select_related(
            "enrolment__sme__owner", "enrolment__programme__organiser"
        ),
        public_id=public_id,
    )
    enrolment = certificate.enrolment
    context = {
        "certificate": certificate,
        "programme": enrolment.programme,
        "business": enrolment.sme.name,
        "owner": enrolment.sme.owner.name if enrolment.sme.owner_id else "",
    }
    response = render(request, "programs/certificate_verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
