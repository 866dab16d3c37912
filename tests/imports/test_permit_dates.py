"""The import's bulk writes keep each SME's copy of its permit dates (Sme.halal_valid_until,
pirt_valid_until) as its permits say: new SMEs, a new permit on a known SME, a changed expiry."""

import datetime as dt

from sentra.imports import services
from sentra.registry.models import Sme

from .conftest import nib, template_row


def dates(row: int) -> tuple:
    return Sme.objects.filter(nib=nib(row + 1)).values_list("halal_valid_until", "pirt_valid_until").get()


def test_imported_permits_give_their_smes_the_dates(template_file, admin_user):
    rows = [
        template_row(1),
        template_row(2, **{"No. P-IRT": "P-IRT No. 2063216010123-27", "No. Sertifikat Halal": ""}),
        template_row(3, **{"No. Sertifikat Halal": "", "Halal Berlaku Sampai": ""}),
    ]
    services.import_file(path=template_file(rows), actor=admin_user)
    assert dates(1) == (dt.date(2028, 12, 31), None)
    assert dates(2) == (None, dt.date(2027, 12, 31))
    assert dates(3) == (None, None)

    # The next file renews the halal certificate of the first and gives the third one.
    rows = [
        template_row(1, **{"Halal Berlaku Sampai": "30/06/2030"}),
        template_row(2, **{"No. P-IRT": "P-IRT No. 2063216010123-27", "No. Sertifikat Halal": ""}),
        template_row(3, **{"Halal Berlaku Sampai": "01/01/2020"}),
    ]
    services.import_file(path=template_file(rows, name="again.xlsx"), actor=admin_user)
    assert dates(1) == (dt.date(2030, 6, 30), None)
    assert dates(2) == (None, dt.date(2027, 12, 31))
    assert dates(3) == (dt.date(2020, 1, 1), None)
