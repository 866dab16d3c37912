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
it for the condition that filters a queryset (`index.match(query)`), or for the matching rows best
first (`index.ranked(queryset, query)`: FTS5's bm25 on SQLite, ts_rank on PostgreSQL).

"Did you mean": `suggest(query, candidates)` replaces each word the index does not know by the
closest known word in spelling; the area keeps the vocabulary (words as written, with how many rows
hold them) and says which of its words are candidates for a given word.
"""

import difflib
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.db import connections
from django.db.models import BooleanField, FloatField, Q, QuerySet
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


def query_terms(
    query: str, languages: Iterable[str] = (INDONESIAN,), *, complete: Collection[str] = ()
) -> list[tuple[list[str], bool]]:
    """Per query word: the forms it matches, and whether they match as prefixes (the last word).

    A last word in `complete` is taken as typed in full: matched as a word, not as a prefix.
    """
    languages = tuple(languages)
    query_words = words(query)[:MAX_QUERY_WORDS]
    terms = []
    for index, word in enumerate(query_words):
        stems = sorted({stem(word, language) for language in languages})
        if index == len(query_words) - 1 and word not in complete:
            terms.append((sorted({*stems, word}), True))
        else:
            terms.append((stems, False))
    return terms


def fts5_query(
    query: str, languages: Iterable[str] = (INDONESIAN,), *, complete: Collection[str] = ()
) -> str:
    """FTS5 MATCH syntax. Words hold only [a-z0-9], so quoting them is all the escaping needed."""
    parts = []
    for forms, prefix in query_terms(query, languages, complete=complete):
        star = "*" if prefix else ""
        alternatives = [f'"{form}"{star}' for form in forms]
        parts.append(
            alternatives[0] if len(alternatives) == 1 and not prefix else f"({' OR '.join(alternatives)})"
        )
    return " AND ".join(parts)


def tsquery(query: str, languages: Iterable[str] = (INDONESIAN,), *, complete: Collection[str] = ()) -> str:
    """PostgreSQL to_tsquery('simple', …) syntax for the same match as `fts5_query`."""
    parts = []
    for forms, prefix in query_terms(query, languages, complete=complete):
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
    # Words so common that a last word equal to one is matched whole, not as a prefix: "dibuat*"
    # merges the postings of every word starting with "dibuat" and "buat" (each in most rows:
    # 35 ms on SQLite with 200,000 products), while "dibuat" alone is read from one posting list.
    # Called per query; the area keeps the set (e.g. from its vocabulary, cached).
    common_words: Callable[[], Collection[str]] | None = field(default=None, compare=False)

    @property
    def fts_table(self) -> str:
        return f"{self.table}_fts"

    @property
    def vector_column(self) -> str:
        return "search_vector"

    def _complete(self, query: str) -> Collection[str]:
        found = words(query)
        if self.common_words is None or not found or len(found[-1]) <= 3:
            # Up to three letters a word is being typed; the prefix index answers those (0004).
            return ()
        return self.common_words()

    def fts5(self, query: str) -> str:
        return fts5_query(query, self.languages, complete=self._complete(query))

    def tsquery(self, query: str) -> str:
        return tsquery(query, self.languages, complete=self._complete(query))

    def text(self, *texts: str | None, boosted: Iterable[str | None] = ()) -> str:
        """The indexed words of `texts`; `boosted` texts (a product's name) are written twice.

        Both bm25 and ts_rank count how often a word occurs, so a word of a boosted text weighs
        more in the ranking than the same word in the rest (a description that merely mentions it).
        """
        boosted = tuple(boosted)
        if not boosted:
            return index_text(*texts, languages=self.languages)
        title = index_text(*boosted, languages=self.languages)
        return " ".join(part for part in (title, title, index_text(*texts, languages=self.languages)) if part)

    def match(self, query: str, *, for_count: bool = False, using: str = "default") -> Q:
        """A filter for the rows whose words match `query` (every word; the last one as a prefix).

        `for_count` gives the same rows in the form fastest to count rather than to read a page of.
        """
        vendor = connections[using].vendor
        if vendor == "postgresql":
            # On the table itself, not "id IN (SELECT …)": PostgreSQL would join the table to itself
            # with a full scan.
            sql = f'"{self.table}"."{self.vector_column}" @@ to_tsquery(\'simple\', %s)'
            return Q(RawSQL(sql, [self.tsquery(query)], output_field=BooleanField()))
        if vendor == "sqlite":
            matches = f"SELECT rowid FROM {self.fts_table} WHERE {self.fts_table} MATCH %s"
            if for_count:
                return Q(id__in=RawSQL(matches, [self.fts5(query)]))
            # A page walks the sort order's index and tests each row against the matches, stopping
            # once the page is full. Left to itself SQLite starts from the matches and sorts them all:
            # for a word in half the table ("k") that sort is most of the request. The unary + keeps it
            # from starting there; callers read few matches by key.
            sql = f'+"{self.table}"."id" IN ({matches})'
            return Q(RawSQL(sql, [self.fts5(query)], output_field=BooleanField()))
        # Other databases: slow but correct, word by word on the stored text.
        return self.row_match(query)

    def row_match(self, query: str) -> Q:
        """The same match as `match`, tested on each row's stored words rather than through the index.

        For a few rows already picked by another index (the merged records a count leaves out): the
        words column holds nothing but `[a-z0-9]` words between single spaces, so this finds exactly
        what the index finds.
        """
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

    def count(self, query: str, *, using: str = "default") -> int | None:
        """How many rows of the table match `query`, counted from the index alone; None where the
        index cannot count by itself (PostgreSQL's GIN lists pages, not rows)."""
        if connections[using].vendor != "sqlite":
            return None
        if not words(query):
            return None
        fts = self.fts_table
        with connections[using].cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {fts} WHERE {fts} MATCH %s", [fts5_query(query, self.languages)]
            )
            return cursor.fetchone()[0]

    def ranked(self, queryset: QuerySet, query: str, *, using: str = "default") -> QuerySet:
        """The rows of `queryset` matching `query`, best first, annotated with `search_rank`.

        Higher is better on both databases (bm25 is negated on SQLite). A query without words gives
        `queryset` unchanged. Callers add their own tie-breaker after "-search_rank".
        """
        if not words(query):
            return queryset
        vendor = connections[using].vendor
        if vendor == "postgresql":
            # Normalisation 1 divides by the log of the text's length, as bm25 weighs length on SQLite.
            sql = f'ts_rank("{self.table}"."{self.vector_column}", to_tsquery(\'simple\', %s), 1)'
            rank = RawSQL(sql, [self.tsquery(query)], output_field=FloatField())
            return (
                queryset.filter(self.match(query, using=using))
                .annotate(search_rank=rank)
                .order_by("-search_rank")
            )
        if vendor == "sqlite":
            # Joined to the FTS5 table itself (not "id IN (…)"), so that its `rank` (bm25) is at hand.
            fts = self.fts_table
            return queryset.extra(  # noqa: S610  (fixed SQL, the query is a parameter)
                tables=[fts],
                where=[f'{fts}.rowid = "{self.table}"."id"', f"{fts} MATCH %s"],
                params=[self.fts5(query)],
                select={"search_rank": f"-{fts}.rank"},
            ).order_by("-search_rank")
        return queryset.filter(self.match(query, using=using))

    def window_sql(self, query: str, limit: int, *, using: str = "default") -> tuple[str, list]:
        """SQL (and its parameters) of up to `limit` rows matching `query`, newest (highest id) first,
        as columns `id` and `rank` (higher is better on both databases), read from the index alone.

        A caller joins it to its own query (the public conditions, the filters) and sorts in SQL,
        so that a word in most of the table ("k") costs `limit` rows rather than every match.
        """
        vendor = connections[using].vendor
        if vendor == "postgresql":
            return (
                f"SELECT matches.id AS id, ts_rank(matches.{self.vector_column}, q, 1) AS rank FROM ("
                f'SELECT id, {self.vector_column} FROM "{self.table}" '
                f"WHERE {self.vector_column} @@ to_tsquery('simple', %s) ORDER BY id DESC LIMIT %s) AS matches, "
                "to_tsquery('simple', %s) AS q",
                [self.tsquery(query), limit, self.tsquery(query)],
            )
        if vendor == "sqlite":
            fts = self.fts_table
            return (
                f"SELECT rowid AS id, -rank AS rank FROM {fts} WHERE {fts} MATCH %s ORDER BY rowid DESC LIMIT %s",
                [self.fts5(query), limit],
            )
        raise NotImplementedError(vendor)

    def candidates(self, query: str, limit: int, *, using: str = "default") -> list[tuple[int, float]]:
        """Up to `limit` (id, rank) of the rows matching `query`, newest (highest id) first.

        The index alone answers, without joining the table: a caller that filters and sorts the
        candidates itself pays for `limit` rows, however many match ("k" matches most of a table,
        and ranking every match costs a second). Rank is higher for better matches on both databases.
        """
        if not words(query):
            return []
        sql, params = self.window_sql(query, limit, using=using)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            return [(pk, float(rank)) for pk, rank in cursor.fetchall()]

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


# --- "did you mean" ----------------------------------------------------------------------------

# How alike two spellings must be (difflib's ratio) for one to be offered for the other:
# "kripik" → "keripik" is 0.92, "batk" → "batik" 0.89, "tas" → "teh" 0.33.
SUGGESTION_CUTOFF = 0.75
MIN_SUGGESTED_LENGTH = 3


def suggest(query: str, candidates: Callable[[str], Iterable[tuple[str, int]]]) -> str | None:
    """The query with each unknown word replaced by the closest known one, or None if none changed.

    `candidates(word)` returns (known word, rows holding it) pairs likely to be close to `word`
    (the area picks them, e.g. words of about the same length); a word that is among them as it is
    stays. Of equally close words the one in more rows wins.
    """
    changed = False
    out = []
    for word in words(query)[:MAX_QUERY_WORDS]:
        if len(word) < MIN_SUGGESTED_LENGTH or word.isdigit():
            out.append(word)
            continue
        known = dict(candidates(word))
        if word in known:
            out.append(word)
            continue
        best = None
        for other, rows in known.items():
            ratio = difflib.SequenceMatcher(None, word, other).ratio()
            if ratio >= SUGGESTION_CUTOFF and (best is None or (ratio, rows) > best[:2]):
                best = (ratio, rows, other)
        out.append(best[2] if best else word)
        changed = changed or best is not None
    return " ".join(out) if changed else None
