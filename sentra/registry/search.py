"""Full-text search of the SME registry, the same on SQLite and PostgreSQL.

Words are stemmed in Python with the Snowball Indonesian stemmer and stored in `Sme.search_text`,
so neither database needs a language configuration: SQLite indexes the column with an FTS5 table,
PostgreSQL with a GIN index on a generated `to_tsvector('simple', search_text)` column (migration
0003). Both only split on spaces, and the text holds nothing but `[a-z0-9]` words, so both match
the same way.

Each word is stored stemmed and, when stemming changed it, also as written: Snowball strips
"ke-" from "keripik" (→ "ripik"), so someone typing "kerip" must be able to prefix-match the
unstemmed word. The query side stems every word; the last word, possibly half typed, also
matches as a prefix of either form.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

_WORD = re.compile(r"[a-z0-9]+")
# A longer query is not a search any more but a pasted paragraph; the rest is ignored.
MAX_QUERY_WORDS = 8
NIK_LENGTH = 16
SQLITE_FTS_TABLE = "registry_sme_fts"


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("indonesian")


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def words(text: str | None) -> list[str]:
    """Lower-case ASCII words: "Kripik Pedas Bu Siti!" → ["kripik", "pedas", "bu", "siti"]."""
    if not text:
        return []
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _WORD.findall(ascii_text)


def build_search_text(
    *,
    name: str | None,
    brand: str | None = "",
    owner_name: str | None = "",
    nib: str | None = "",
    products: str | None = "",
) -> str:
    """The indexed words of one SME: each word stemmed, plus its written form where that differs."""
    seen: dict[str, None] = {}
    for text in (name, brand, owner_name, nib, products):
        for word in words(text):
            seen.setdefault(stem(word), None)
            seen.setdefault(word, None)
    return " ".join(seen)


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


def _terms(query: str) -> list[tuple[str, list[str]]]:
    """(stem, [prefixes]) per query word: exact stem for all but the last, which matches by prefix."""
    query_words = words(query)[:MAX_QUERY_WORDS]
    terms = []
    for index, word in enumerate(query_words):
        last = index == len(query_words) - 1
        terms.append((stem(word), sorted({stem(word), word}) if last else []))
    return terms


def fts5_query(query: str) -> str:
    """FTS5 MATCH syntax. Words hold only [a-z0-9], so quoting them is all the escaping needed."""
    parts = []
    for word_stem, prefixes in _terms(query):
        if prefixes:
            parts.append("(" + " OR ".join(f'"{p}"*' for p in prefixes) + ")")
        else:
            parts.append(f'"{word_stem}"')
    return " AND ".join(parts)


def tsquery(query: str) -> str:
    """PostgreSQL to_tsquery('simple', …) syntax for the same match as `fts5_query`."""
    parts = []
    for word_stem, prefixes in _terms(query):
        if prefixes:
            parts.append("(" + " | ".join(f"{p}:*" for p in prefixes) + ")")
        else:
            parts.append(word_stem)
    return " & ".join(parts)


def _text_match(query: str, *, for_count: bool) -> Q:
    if connection.vendor == "postgresql":
        # search_vector is to_tsvector('simple', search_text), generated and GIN-indexed by
        # migration 0003. On the list's own table, not "id IN (SELECT …)": PostgreSQL would join
        # the table to itself with a full scan.
        sql = '"registry_sme"."search_vector" @@ to_tsquery(\'simple\', %s)'
        return Q(RawSQL(sql, [tsquery(query)], output_field=BooleanField()))
    if connection.vendor == "sqlite":
        matches = f"SELECT rowid FROM {SQLITE_FTS_TABLE} WHERE {SQLITE_FTS_TABLE} MATCH %s"
        if for_count:
            return Q(id__in=RawSQL(matches, [fts5_query(query)]))
        # A page walks the sort order's index and tests each row against the matches, stopping
        # once the page is full. Left to itself SQLite starts from the matches and sorts them all:
        # for a word in half the registry ("k", a NIB prefix) that sort is most of the request.
        # The unary + keeps it from starting there; few matches are read by key (views.py).
        sql = f'+"registry_sme"."id" IN ({matches})'
        return Q(RawSQL(sql, [fts5_query(query)], output_field=BooleanField()))
    # Other databases: slow but correct, word by word on the stored text.
    condition = Q()
    for word_stem, prefixes in _terms(query):
        if prefixes:
            alternatives = Q()
            for prefix in prefixes:
                alternatives |= Q(search_text__startswith=prefix) | Q(search_text__contains=" " + prefix)
            condition &= alternatives
        else:
            condition &= Q(search_text__regex=rf"(^| ){word_stem}( |$)")
    return condition


def search_smes(smes: QuerySet, query: str | None, *, for_count: bool = False) -> QuerySet:
    """SMEs whose name, brand, owner name, NIB or products match `query`; a 16-digit query is a NIK.

    `for_count` gives the same rows in the form fastest to count rather than to read a page of.
    """
    query = (query or "").strip()
    if not words(query):
        return smes
    digits = re.sub(r"[\s.\-]", "", query)
    if digits.isdigit() and len(digits) == NIK_LENGTH:
        # Sixteen digits are a NIK (a NIB has 13). Searched alone: OR-ed with the text match it
        # would make PostgreSQL test every row's words.
        return smes.filter(owner__nik=digits)
    return smes.filter(_text_match(query, for_count=for_count))


# --- keeping the SQLite index ------------------------------------------------------------------

SQLITE_TRIGGERS = {
    "registry_sme_fts_insert": f"""
        CREATE TRIGGER IF NOT EXISTS registry_sme_fts_insert AFTER INSERT ON registry_sme BEGIN
            INSERT INTO {SQLITE_FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
    "registry_sme_fts_delete": f"""
        CREATE TRIGGER IF NOT EXISTS registry_sme_fts_delete AFTER DELETE ON registry_sme BEGIN
            INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}, rowid, search_text)
                VALUES ('delete', old.id, old.search_text);
        END""",
    "registry_sme_fts_update": f"""
        CREATE TRIGGER IF NOT EXISTS registry_sme_fts_update AFTER UPDATE OF search_text ON registry_sme
        BEGIN
            INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}, rowid, search_text)
                VALUES ('delete', old.id, old.search_text);
            INSERT INTO {SQLITE_FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
        END""",
}


def ensure_search_index(sender=None, using: str = "default", **kwargs) -> bool:
    """Recreate lost SQLite triggers and rebuild the index; True if anything was missing.

    Django alters an SQLite table by copying it into a new one, which drops its triggers. Run as a
    post_migrate handler, this puts them back after any later migration of registry_sme.
    """
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return False
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE 'registry_sme%'"
        )
        present = {row[0] for row in cursor.fetchall()}
        if SQLITE_FTS_TABLE not in present or set(SQLITE_TRIGGERS) <= present:
            return False
        for sql in SQLITE_TRIGGERS.values():
            cursor.execute(sql)
        cursor.execute(f"INSERT INTO {SQLITE_FTS_TABLE}({SQLITE_FTS_TABLE}) VALUES ('rebuild')")
    return True
