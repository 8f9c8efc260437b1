"""Which PostgreSQL schema names a store (or its key store) may have, checked before anything connects.

Every statement of ours quotes a schema (`psycopg.sql.Identifier`), but the library also names its
stored-event type as unquoted text (`<schema>.stored_event_uuid`, resolved as a type name): there, a
name that needs quoting (capitals, a dot, a quote, a space) or a keyword that cannot start a type name
resolves to another schema's type, or to none. So a schema name is one PostgreSQL would read the
same quoted or not: lower-case letters, digits, `_` and `$`, not starting with a digit, not one of
those keywords, not `pg_` (reserved for the system), at most 63 bytes.
"""

from __future__ import annotations

import re

NAME_BYTES = 63
"""PostgreSQL's limit for a name: a longer one is silently cut to this."""

_PLAIN = re.compile(r"[a-z_][a-z0-9_$]*")

# The keywords (PostgreSQL 15's pg_get_keywords(), reserved and column-name categories) that
# `'<keyword>.x'::regtype` rejects as a syntax error; kept as PostgreSQL lists them, words in a string.
_KEYWORDS = frozenset(
    """
    all analyse analyze and any array as asc asymmetric between bigint bit boolean both case cast char
    character check coalesce collate column constraint create current_catalog current_date
    current_role current_time current_timestamp current_user dec decimal default deferrable desc
    distinct do else end except exists extract false fetch float for foreign from grant greatest group
    grouping having in initially inout int integer intersect interval into lateral leading least limit
    localtime localtimestamp national nchar none normalize not null nullif numeric offset on only or
    order out overlay placing position precision primary real references returning row select
    session_user setof smallint some substring symmetric table then time timestamp to trailing treat
    trim true union unique user using values varchar variadic when where window with xmlattributes
    xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable
    """.split()  # noqa: SIM905
)


def schema_name_problem(name: str, *, limit: int = NAME_BYTES) -> str | None:
    """What is wrong with `name` as a schema name (None if nothing), in words for a message."""
    if not name:
        return "is empty"
    if not _PLAIN.fullmatch(name):
        return (
            "may hold only lower-case letters, digits, _ and $, and must not start with a digit "
            "(the name is used as it is written, unquoted)"
        )
    if len(name.encode()) > limit:
        return f"is {len(name.encode())} bytes long: at most {limit} fit"
    if name in _KEYWORDS:
        return "is a PostgreSQL keyword"
    if name.startswith("pg_"):
        return "starts with pg_, which PostgreSQL keeps for its own schemas"
    return None
