"""Full-text search of the SME registry, the same on SQLite and PostgreSQL.

The mechanism is the project's one search, `sentra.core.search` (why words are stored stemmed and as
written, how FTS5 and the GIN index match alike); this module says what an SME is found by: its name,
brand, owner's name, NIB and products, in `Sme.search_text`, and that sixteen digits are a NIK.
"""

import re
from collections.abc import Iterable

from django.db.models import QuerySet

from sentra.core.search import (  # noqa: F401  (re-exported: the registry's callers and tests use them)
    MAX_QUERY_WORDS,
    FullTextIndex,
    fts5_query,
    stem,
    tsquery,
    words,
)

NIK_LENGTH = 16
# FTS5 table registry_sme_fts on SQLite, generated column search_vector on PostgreSQL (migration 0003).
SME_INDEX = FullTextIndex(table="registry_sme")
SQLITE_FTS_TABLE = SME_INDEX.fts_table


def build_search_text(
    *,
    name: str | None,
    brand: str | None = "",
    owner_name: str | None = "",
    nib: str | None = "",
    products: str | None = "",
) -> str:
    """The indexed words of one SME: each word stemmed, plus its written form where that differs."""
    return SME_INDEX.text(name, brand, owner_name, nib, products)


def search_text_for(sme, *, owner_name: str | None = None) -> str:
    """`build_search_text` for an Sme instance; pass `owner_name` when the owner is not loaded."""
    if owner_name is None:
        owner_name = sme.owner.name if sme.owner_id else ""
    return build_search_text(
        name=sme.name, brand=sme.brand, owner_name=owner_name, nib=sme.nib, products=sme.products
    )


def update_search_text(sme, *, save: bool = True) -> str:
    sme.search_text = search_text_for(sme)
    if save and sme.pk:
        type(sme).objects.filter(pk=sme.pk).update(search_text=sme.search_text)
    return sme.search_text


def refresh_search_text(smes: Iterable, *, batch_size: int = 2000) -> int:
    """Recompute and save the search text of many SMEs (an import, an owner's rename)."""
    from .models import Sme

    changed = []
    for sme in smes:
        text = search_text_for(sme)
        if text != sme.search_text:
            sme.search_text = text
            changed.append(sme)
    Sme.objects.bulk_update(changed, ["search_text"], batch_size=batch_size)
    return len(changed)


# --- queries -----------------------------------------------------------------------------------


def _nik(query: str) -> str | None:
    digits = re.sub(r"[\s.\-]", "", query)
    return digits if digits.isdigit() and len(digits) == NIK_LENGTH else None


def search_smes(smes: QuerySet, query: str | None, *, for_count: bool = False) -> QuerySet:
    """SMEs whose name, brand, owner name, NIB or products match `query`; a 16-digit query is a NIK.

    `for_count` gives the same rows in the form fastest to count rather than to read a page of.
    """
    query = (query or "").strip()
    if not words(query):
        return smes
    nik = _nik(query)
    if nik:
        # Sixteen digits are a NIK (a NIB has 13). Searched alone: OR-ed with the text match it
        # would make PostgreSQL test every row's words.
        return smes.filter(owner__nik=nik)
    return smes.filter(SME_INDEX.match(query, for_count=for_count))


def count_search(query: str | None) -> int | None:
    """How many SMEs not merged away match `query`, where the full-text index can count by itself
    (SQLite): its count, less the merged records among its matches (few, tested row by row). A
    search matching most of the registry ("k") is counted without reading 100,000 rows. None when
    the index cannot count, or for a NIK."""
    from .models import Sme

    query = (query or "").strip()
    if not words(query) or _nik(query):
        return None
    total = SME_INDEX.count(query)
    if total is None:
        return None
    # "> 0" rather than "IS NOT NULL": SQLite then reads the few merged rows through their index
    # instead of testing the words of every row.
    merged = Sme.objects.filter(merged_into_id__gt=0).filter(SME_INDEX.row_match(query))
    return total - merged.count()


# --- keeping the SQLite index ------------------------------------------------------------------

SQLITE_TRIGGERS = SME_INDEX.sqlite_triggers()


def ensure_search_index(sender=None, using: str = "default", **kwargs) -> bool:
    """Recreate lost SQLite triggers of the SME index after a migration rebuilt registry_sme."""
    return SME_INDEX.ensure_sqlite_index(using)
