"""Full-text search shared by every area (the registry's SMEs, the catalogue's products, …).

Words are stemmed in Python with Snowball stemmers (`snowballstemmer`, the same algorithms as
PostgreSQL's own configurations) and stored in a plain text column of the searched table, so neither
database needs a language configuration: SQLite indexes the column with an FTS5 table, PostgreSQL
with a GIN index on a generated `to_tsvector('simple', <column>)` column. Both only split on spaces,
and the text holds nothing but `[a-z0-9]` words, so both match the same way.

Each word is stored stemmed and, when stemming changed it, also as written: Snowball strips "ke-"
from "keripik" (→ "ripik"), so someone typing "kerip" must be able to prefix-match the unstemmed
word. The query side stems every word; the last word, possibly half typed, also matches as a prefix
of either form. A text in several languages (a product named in Indonesian and English) is stemmed
with each language's stemmer, and a query word matches any of its stems.

An area describes its index once as a `FullTextIndex` (table, column, FTS table, languages) and asks
it for the condition that filters a queryset (`index.match(query)`).
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.db import connections
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

INDONESIAN = "indonesian"
ENGLISH = "english"
_WORD = re.compile(r"[a-z0-9]+")
# A longer query is not a search any more but a pasted paragraph; the rest is ignored.
MAX_QUERY_WORDS = 8


@lru_cache(maxsize=4)
def _stemmer(language: str):
    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=100_000)
def stem(word: str, language: str = INDONESIAN) -> str:
    return _stemmer(language).stemWord(word)


def words(text: str | None) -> list[str]:
    """Lower-case ASCII words: "Kripik Pedas Bu Siti!" → ["kripik", "pedas", "bu", "siti"]."""
    if not text:
        return []
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _WORD.findall(ascii_text)


def index_text(*texts: str | None, languages: Iterable[str] = (INDONESIAN,)) -> str:
    """The indexed words of some texts: each word stemmed in each language, plus its written form."""
    languages = tuple(languages)
    seen: dict[str, None] = {}
    for text in texts:
        for word in words(text):
            for language in languages:
                seen.setdefault(stem(word, language), None)
            seen.setdefault(word, None)
    return " ".join(seen)


def query_terms(query: str, languages: Iterable[str] = (INDONESIAN,)) -> list[tuple[list[str], bool]]:
    """Per query word: the forms it matches, and whether they match as prefixes (the last word)."""
    languages = tuple(languages)
    query_words = words(query)[:MAX_QUERY_WORDS]
    terms = []
    for index, word in enumerate(query_words):
        stems = sorted({stem(word, language) for language in languages})
        if index == len(query_words) - 1:
            terms.append((sorted({*stems, word}), True))
        else:
            terms.append((stems, False))
    return terms


def fts5_query(query: str, languages: Iterable[str] = (INDONESIAN,)) -> str:
    """FTS5 MATCH syntax. Words hold only [a-z0-9], so quoting them is all the escaping needed."""
    parts = []
    for forms, prefix in query_terms(query, languages):
        star = "*" if prefix else ""
        alternatives = [f'"{form}"{star}' for form in forms]
        parts.append(
            alternatives[0] if len(alternatives) == 1 and not prefix else f"({' OR '.join(alternatives)})"
        )
    return " AND ".join(parts)


def tsquery(query: str, languages: Iterable[str] = (INDONESIAN,)) -> str:
    """PostgreSQL to_tsquery('simple', …) syntax for the same match as `fts5_query`."""
    parts = []
    for forms, prefix in query_terms(query, languages):
        star = ":*" if prefix else ""
        alternatives = [f"{form}{star}" for form in forms]
        parts.append(
            alternatives[0] if len(alternatives) == 1 and not prefix else f"({' | '.join(alternatives)})"
        )
    return " & ".join(parts)


@dataclass(frozen=True)
class FullTextIndex:
    """One searchable table: its words column, and the FTS5 table / tsvector column kept over it."""

    table: str
    column: str = "search_text"
    languages: tuple[str, ...] = (INDONESIAN,)

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    @property
    def vector_column(self) -> str:
        return "search_vector"

    def text(self, *texts: str | None) -> str:
        return index_text(*texts, languages=self.languages)

    def match(self, query: str, *, for_count: bool = False, using: str = "default") -> Q:
        """A filter for the rows whose words match `query` (every word; the last one as a prefix).

        `for_count` gives the same rows in the form fastest to count rather than to read a page of.
        """
        vendor = connections[using].vendor
        if vendor == "postgresql":
            # On the table itself, not "id IN (SELECT …)": PostgreSQL would join the table to itself
            # with a full scan.
            sql = f'"{self.table}"."{self.vector_column}" @@ to_tsquery(\'simple\', %s)'
            return Q(RawSQL(sql, [tsquery(query, self.languages)], output_field=BooleanField()))
        if vendor == "sqlite":
            matches = f"SELECT rowid FROM {self.fts_table} WHERE {self.fts_table} MATCH %s"
            if for_count:
                return Q(id__in=RawSQL(matches, [fts5_query(query, self.languages)]))
            # A page walks the sort order's index and tests each row against the matches, stopping
            # once the page is full. Left to itself SQLite starts from the matches and sorts them all:
            # for a word in half the table ("k") that sort is most of the request. The unary + keeps it
            # from starting there; callers read few matches by key.
            sql = f'+"{self.table}"."id" IN ({matches})'
            return Q(RawSQL(sql, [fts5_query(query, self.languages)], output_field=BooleanField()))
        # Other databases: slow but correct, word by word on the stored text.
        condition = Q()
        for forms, prefix in query_terms(query, self.languages):
            alternatives = Q()
            for form in forms:
                if prefix:
                    alternatives |= Q(**{f"{self.column}__startswith": form})
                    alternatives |= Q(**{f"{self.column}__contains": " " + form})
                else:
                    alternatives |= Q(**{f"{self.column}__regex": rf"(^| ){form}( |$)"})
            condition &= alternatives
        return condition

    # --- keeping the SQLite index -------------------------------------------------------------

    def sqlite_triggers(self) -> dict[str, str]:
        t, fts, col = self.table, self.fts_table, self.column
        return {
            f"{fts}_insert": f"""
                CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {t} BEGIN
                    INSERT INTO {fts}(rowid, {col}) VALUES (new.id, new.{col});
                END""",
            f"{fts}_delete": f"""
                CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {t} BEGIN
                    INSERT INTO {fts}({fts}, rowid, {col}) VALUES ('delete', old.id, old.{col});
                END""",
            f"{fts}_update": f"""
                CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {col} ON {t} BEGIN
                    INSERT INTO {fts}({fts}, rowid, {col}) VALUES ('delete', old.id, old.{col});
                    INSERT INTO {fts}(rowid, {col}) VALUES (new.id, new.{col});
                END""",
        }

    def ensure_sqlite_index(self, using: str = "default") -> bool:
        """Recreate lost SQLite triggers and rebuild the index; True if anything was missing.

        Django alters an SQLite table by copying it into a new one, which drops its triggers. Run as a
        post_migrate handler, this puts them back after any later migration of the table.
        """
        conn = connections[using]
        if conn.vendor != "sqlite":
            return False
        triggers = self.sqlite_triggers()
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name IN ({})".format(
                    ", ".join(["%s"] * (len(triggers) + 1))
                ),
                [self.fts_table, *triggers],
            )
            present = {row[0] for row in cursor.fetchall()}
            if self.fts_table not in present or set(triggers) <= present:
                return False
            for sql in triggers.values():
                cursor.execute(sql)
            cursor.execute(f"INSERT INTO {self.fts_table}({self.fts_table}) VALUES ('rebuild')")
        return True
