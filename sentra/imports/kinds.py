"""The kinds of record a spreadsheet can import, one spec each; the engine, views and files are shared.

A kind gives its fields (with the header synonyms columns are matched by), the pass that decides and
writes its rows (a subclass of `engine.RowPass`), and its labels. The SME kind is the registry's own;
other apps register theirs from their AppConfig.ready() (sentra.bebeli registers "bebeli").
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import sme_spec


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise | str
    fields_by_key: dict[str, Any]
    required: tuple[str, ...]
    match_headers: Callable[[list[str]], list[str | None]]
    field_choices: Callable[[], list[tuple[str, str]]]
    # How many of the kind's fields a row of headers names (0: it is not the header row).
    recognise: Callable[[list[str]], int]
    # The pass (an engine.RowPass): make_pass(job, write=..., on_progress=..., batch_size=...).
    make_pass: Callable[..., Any]
    # The source recorded on the job ("import", or "sidt" for the national export), from the headers.
    source: Callable[[list[str]], str] = lambda headers: "import"
    # Which personal data the report of rows to fix may hold (logged when it is downloaded).
    personal_fields: tuple[str, ...] = ()
    template: bool = False


def header_matcher(fields) -> Callable[[list[str]], list[str | None]]:
    """A kind's `match_headers`: the field each column feeds, by position, matched as the SME spec's are
    (case, spaces, punctuation and a bracketed unit ignored); a second column for a field feeds nothing."""
    by_key = {f.key: f for f in fields}
    by_header: dict[str, str] = {}
    for f in fields:
        for header in f.headers:
            by_header.setdefault(sme_spec.header_key(header), f.key)

    def match(headers: list[str]) -> list[str | None]:
        mapping: list[str | None] = []
        taken: set[str] = set()
        for header in headers:
            key = by_header.get(sme_spec.header_key(header))
            if key is not None and key in taken and not by_key[key].ignored:
                key = None
            if key is not None:
                taken.add(key)
            mapping.append(key)
        return mapping

    return match


def recognised_by(match, fields_by_key) -> Callable[[list[str]], int]:
    return lambda headers: sum(1 for k in match(headers) if k and not fields_by_key[k].ignored)


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    _KINDS[kind.key] = kind


def get(key: str) -> Kind:
    return _KINDS[key]


def choices() -> list[tuple[str, str]]:
    return [(k.key, k.label) for k in _KINDS.values()]


def _sme_pass(job, **kwargs):
    from .engine import ImportPass

    return ImportPass(job, **kwargs)


register(
    Kind(
        key="sme",
        label=_("SMEs for the registry"),
        fields_by_key=sme_spec.FIELDS_BY_KEY,
        required=sme_spec.REQUIRED,
        match_headers=sme_spec.match_headers,
        field_choices=sme_spec.field_choices,
        recognise=lambda headers: sme_spec.recognised_count(sme_spec.match_headers(headers)),
        make_pass=_sme_pass,
        source=lambda headers: "sidt" if sme_spec.is_sidt(headers) else "import",
        personal_fields=("nik", "phone", "birth_date"),
        template=True,
    )
)
