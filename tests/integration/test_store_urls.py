"""A database URL means exactly one store: what it cannot mean is refused as it is parsed, before
anything connects (no database needed here)."""

from __future__ import annotations

import pytest

from infrastructure.key_stores import KEYS_VAR, keys_schema
from infrastructure.store import StoreUnavailable, parse_url

PG = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        (f"{PG}?schema=", "schema '' in"),
        (f"{PG}?shema=news", "unknown part 'shema'"),
        (f"{PG}?host=/elsewhere", "unknown part 'host'"),
        (f"{PG}?sslmode=disable", "unknown part 'sslmode'"),
        (f"{PG}?options=-csearch_path%3Dother", "unknown part 'options'"),
        (f"{PG}?schema=news&schema=other", "gives 'schema' more than once"),
        (f"{PG}?schema=news#other", "has a fragment"),
        (f"{PG}?schema", "malformed query"),
        (f"{PG}?schema=news&&timeout=1", "malformed query"),
        (f"{PG}?timeout=0", "invalid timeout '0'"),
        (f"{PG}?timeout=99999999999", "invalid timeout"),
        (f"{PG}?timeout=%D9%A1", "invalid timeout"),  # an Arabic-Indic digit one
        ("postgresql+asyncpg://postgres@127.0.0.1/test", "unsupported database URL"),
        ("sqlite:///news.db?mode=rw", "invalid mode 'rw'"),
        ("sqlite:///news.db?mode=", "invalid mode ''"),
        ("sqlite:///news.db?mode=ro&mode=ro", "gives 'mode' more than once"),
        ("sqlite:///news.db?schema=x", "unknown part 'schema'"),
        ("sqlite:///news.db?immutable=1", "unknown part 'immutable'"),
        ("sqlite:///news.db#x", "has a fragment"),
        ("sqlite://elsewhere/news.db", "names a host ('elsewhere')"),
        ("sqlite:///news%00.db", "control character"),
        ("sqlite:///news%0A.db", "control character"),
    ],
)
def test_a_part_the_url_cannot_mean_is_refused_naming_it(url: str, fragment: str) -> None:
    with pytest.raises(StoreUnavailable) as refused:
        parse_url(url)

    assert fragment in str(refused.value)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    "url", ["postgresql://postgres@127.0.0.1:port/test", "postgresql://postgres@127.0.0.1:99999/test"]
)
def test_a_port_that_is_no_port_is_the_url_parsers_error(url: str) -> None:
    # The CLI words the parser's own errors, naming the option (`cli/main.py`).
    with pytest.raises(ValueError, match="Port"):
        parse_url(url)


def test_a_long_url_is_cut_short_in_a_refusal() -> None:
    with pytest.raises(StoreUnavailable) as refused:
        parse_url(f"sqlite:///{'a' * 5000}.db?shema=x")

    assert len(str(refused.value)) < 400


def test_the_refusal_of_an_unknown_part_says_what_is_accepted() -> None:
    with pytest.raises(StoreUnavailable, match=r"accepts only \?schema=NAME and \?timeout=SECONDS"):
        parse_url(f"{PG}?host=/elsewhere")
    with pytest.raises(StoreUnavailable, match=r"accepts only \?mode=ro and \?timeout=SECONDS"):
        parse_url("sqlite:///news.db?shema=x")


def test_a_password_is_not_repeated_in_a_refusal() -> None:
    with pytest.raises(StoreUnavailable) as refused:
        parse_url("postgresql://ann:secret@127.0.0.1/test?host=x")

    assert "secret" not in str(refused.value)


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        ('x"; DROP TABLE victim; --', "may hold only lower-case letters"),
        ("x'); DROP TABLE victim; --", "may hold only lower-case letters"),
        ("News", "may hold only lower-case letters"),
        ("news.other", "may hold only lower-case letters"),
        ("1news", "must not start with a digit"),
        ("select", "is a PostgreSQL keyword"),
        ("user", "is a PostgreSQL keyword"),
        ("pg_catalog", "starts with pg_"),
        ("n" * 59, "59 bytes long: at most 58 fit (its key schema adds '_keys')"),
    ],
)
def test_a_schema_the_store_cannot_use_as_written_is_refused(schema: str, fragment: str) -> None:
    from urllib.parse import quote

    with pytest.raises(StoreUnavailable) as refused:
        parse_url(f"{PG}?schema={quote(schema)}")

    assert fragment in str(refused.value)


@pytest.mark.parametrize("schema", ["news", "_news", "news$2", "n" * 58, "public"])
def test_a_plain_schema_whose_key_schema_fits_is_used_as_it_is(schema: str) -> None:
    config = parse_url(f"{PG}?schema={schema}")

    assert config.postgres_schema == schema
    assert config.env["POSTGRES_SCHEMA"] == schema


def test_a_url_without_a_schema_means_public() -> None:
    assert parse_url(PG).postgres_schema == "public"


def test_the_parts_a_url_can_mean_are_taken() -> None:
    postgres = parse_url("postgresql+psycopg://ann@db.example:6543/news?schema=live&timeout=30")
    sqlite = parse_url("sqlite:///news.db?mode=ro&timeout=3600")

    assert (postgres.env["POSTGRES_PORT"], postgres.env["POSTGRES_LOCK_TIMEOUT"]) == ("6543", "30")
    assert (sqlite.read_only, sqlite.env["SQLITE_LOCK_TIMEOUT"]) == (True, "3600")


def test_a_store_schema_of_58_bytes_keeps_its_keys_in_a_schema_of_63(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEYS_VAR, raising=False)
    schema = parse_url(f"{PG}?schema={'n' * 58}").postgres_schema

    assert keys_schema(schema) == "n" * 58 + "_keys"
    assert len(keys_schema(schema).encode()) == 63


@pytest.mark.parametrize(
    ("configured", "fragment"),
    [
        ('k"; DROP TABLE victim; --', "may hold only lower-case letters"),
        ("k" * 64, "64 bytes long: at most 63 fit"),
        ("news", "is the store's own schema"),
        ("pg_keys", "starts with pg_"),
    ],
)
def test_a_key_schema_setting_the_key_store_cannot_use_is_refused(
    configured: str, fragment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEYS_VAR, configured)

    with pytest.raises(StoreUnavailable) as refused:
        keys_schema("news")

    assert str(refused.value).startswith(f"{KEYS_VAR} schema")
    assert fragment in str(refused.value)


def test_a_key_schema_setting_of_63_plain_bytes_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEYS_VAR, "k" * 63)

    assert keys_schema("news") == "k" * 63
