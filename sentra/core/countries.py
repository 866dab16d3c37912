"""Country names in Indonesian for django-countries, which ships no Indonesian translation.

django-countries names every country in English (and many other languages, not Indonesian).
pycountry carries the Debian iso-codes translations, Indonesian among them ("Jepang", "Arab Saudi",
"Belanda"). `names()` gives django-countries (as COUNTRIES_OVERRIDE) one lazy name per code: the
iso-codes Indonesian name while Indonesian is active, django-countries' own name otherwise.
"""

import gettext
from functools import cache

from django.utils.functional import lazy
from django.utils.translation import get_language


@cache
def _indonesian() -> dict[str, str]:
    import pycountry

    translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"], fallback=True)
    return {c.alpha_2: translation.gettext(getattr(c, "common_name", c.name)) for c in pycountry.countries}


def _name(code: str, english) -> str:
    language = get_language() or ""
    if language.startswith("id"):
        return _indonesian().get(code) or str(english)
    return str(english)


_lazy_name = lazy(_name, str)


def names() -> dict:
    from django_countries.base import CountriesBase
    from django_countries.data import COUNTRIES

    # django-countries' common names ("Netherlands", not "Netherlands (Kingdom of the)") stay in English.
    english = {**COUNTRIES, **CountriesBase.COMMON_NAMES}
    return {code: _lazy_name(code, name) for code, name in english.items()}
