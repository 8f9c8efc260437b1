"""Settings are data, never SQL: a schema or NEWSROOM_KEYS holding a statement is refused before
anything connects, and the key store, given such a name anyway, uses it only as a quoted name. The
victim is a table in the test's own schema; it must survive every attempt."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from click.testing import CliRunner, Result
from psycopg.sql import SQL, Identifier

from cli.main import newsroom
from infrastructure.key_stores import KEYS_VAR, PostgresKeyStore
from infrastructure.keys import KEY_BYTES
from tests.support.postgres import libpq_url

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).parents[2]
PG_BASE = "postgresql://postgres@127.0.0.1:5432/test"  # never reached: refused as it is parsed


def hostile_names(schema: str) -> list[str]:
    """Names that, spliced into SQL text, would end the statement and drop the victim (the second
    one did, through the key store's look for its tables)."""
    victim = f'"{schema}".victim'
    return [f'x"; DROP TABLE {victim}; --', f"x\".tombstones'); DROP TABLE {victim}; --"]


@pytest.fixture
def victim(postgres_url: str) -> Iterator[tuple[str, str]]:
    """The test's store URL and schema, holding a table an attack would drop."""
    schema = postgres_url.rsplit("schema=", 1)[1]
    with psycopg.connect(libpq_url(postgres_url), autocommit=True) as connection:
        connection.execute(SQL("CREATE TABLE {} (id INTEGER)").format(Identifier(schema, "victim")))
    yield postgres_url, schema
    with psycopg.connect(libpq_url(postgres_url), autocommit=True) as connection:
        for name in hostile_names(schema):  # made only if an attack got as far as the key store
            connection.execute(SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(name)))


def tables_in(url: str, *schemas: str) -> set[tuple[str, str]]:
    with psycopg.connect(libpq_url(url), autocommit=True) as connection:
        rows = connection.execute(
            "SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY(%s)", (list(schemas),)
        ).fetchall()
    return set(rows)


def schemas_named(url: str, *names: str) -> set[str]:
    with psycopg.connect(libpq_url(url), autocommit=True) as connection:
        rows = connection.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", (list(names),))
        return {row[0] for row in rows}


def open_story(url: str) -> Result:
    args = ["--db", url, "--as", "ann", "story", "open", "syria", "--headline", "Syria talks"]
    return CliRunner().invoke(newsroom, args, catch_exceptions=False)


def assert_one_line_refusal(result: Result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize("attack", [0, 1])
def test_a_key_schema_setting_holding_a_statement_is_refused_and_runs_nothing(
    victim: tuple[str, str], attack: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, schema = victim
    hostile = hostile_names(schema)[attack]
    monkeypatch.setenv(KEYS_VAR, hostile)

    result = open_story(url)

    assert tables_in(url, schema, hostile) == {(schema, "victim")}  # nothing made, nothing dropped
    assert schemas_named(url, hostile) == set()
    assert_one_line_refusal(result, KEYS_VAR, "may hold only lower-case letters")


@pytest.mark.parametrize("attack", [0, 1])
def test_a_store_schema_holding_a_statement_is_refused_and_runs_nothing(
    victim: tuple[str, str], attack: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, schema = victim
    monkeypatch.delenv(KEYS_VAR, raising=False)
    hostile = hostile_names(schema)[attack]

    result = open_story(f"{url.rsplit('schema=', 1)[0]}schema={quote(hostile)}")

    assert_one_line_refusal(result, "may hold only lower-case letters", "choose another ?schema=")
    assert tables_in(url, schema, hostile, f"{hostile}_keys") == {(schema, "victim")}


@pytest.mark.parametrize("attack", [0, 1])
def test_the_key_store_uses_even_a_hostile_schema_only_as_a_quoted_name(
    victim: tuple[str, str], attack: int
) -> None:
    url, schema = victim
    hostile = hostile_names(schema)[attack]
    conninfo = {"conninfo": libpq_url(url)}

    store = PostgresKeyStore(conninfo, hostile)  # past parse_url's check, as a last line
    try:
        made = store.key_for_sealing("person/ann")
        store.destroy("person/ann", reference="erasure-1", at=datetime(2013, 5, 10, tzinfo=UTC))
        counts = store.counts()
    finally:
        store.close()

    assert len(made) == KEY_BYTES and (counts.live, counts.destroyed) == (0, 1)
    assert tables_in(url, schema, hostile) == {
        (schema, "victim"),
        (hostile, "keys"),
        (hostile, "tombstones"),
    }


def test_a_store_schema_too_long_for_its_key_schema_is_refused_with_nothing_made(
    victim: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, schema = victim
    monkeypatch.delenv(KEYS_VAR, raising=False)
    long = schema + "_" + "n" * (58 - len(schema))  # 59 bytes: <schema>_keys would be cut to 63

    result = open_story(f"{url.rsplit('schema=', 1)[0]}schema={long}")

    assert_one_line_refusal(result, "59 bytes long: at most 58 fit")
    assert schemas_named(url, long, (long + "_keys")[:63]) == set()


def test_an_empty_schema_is_refused_before_connecting_rather_than_meaning_public(postgres_url: str) -> None:
    # A database that does not exist: were the URL taken, it would be refused only on connecting
    # (and a store would not be made in the shared database's public schema).
    base = postgres_url.rsplit("/", 1)[0]

    result = open_story(f"{base}/no_such_database?schema=")

    assert_one_line_refusal(result, "schema '' in", "is empty")


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ("&host=/elsewhere", "unknown part 'host': it accepts only ?schema=NAME and ?timeout=SECONDS"),
        ("&shema=other", "unknown part 'shema': it accepts only ?schema=NAME and ?timeout=SECONDS"),
        ("&schema=other", "gives 'schema' more than once"),
        ("#other", "has a fragment (#...): it accepts only ?schema=NAME and ?timeout=SECONDS"),
    ],
)
def test_a_postgres_url_part_it_cannot_mean_is_refused_with_nothing_made(
    victim: tuple[str, str], extra: str, fragment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, schema = victim
    monkeypatch.delenv(KEYS_VAR, raising=False)

    result = open_story(url + extra)

    assert_one_line_refusal(result, fragment)
    assert tables_in(url, schema, f"{schema}_keys") == {(schema, "victim")}
    assert schemas_named(url, f"{schema}_keys") == set()


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ("?shema=x", "unknown part 'shema': it accepts only ?mode=ro and ?timeout=SECONDS"),
        ("?immutable=1", "unknown part 'immutable'"),
        ("?mode=ro&mode=ro", "gives 'mode' more than once"),
        ("#x", "has a fragment"),
    ],
)
def test_a_sqlite_url_part_it_cannot_mean_is_refused_with_no_file_made(
    tmp_path: Path, extra: str, fragment: str
) -> None:
    result = open_story(f"sqlite:///{tmp_path / 'news.db'}{extra}")

    assert_one_line_refusal(result, fragment)
    assert list(tmp_path.iterdir()) == []


def test_a_mode_other_than_read_only_is_refused_with_no_file_made(tmp_path: Path) -> None:
    result = open_story(f"sqlite:///{tmp_path / 'news.db'}?mode=rwc")

    assert_one_line_refusal(result, "invalid mode 'rwc'", "?mode=ro")
    assert list(tmp_path.iterdir()) == []


def test_a_hostile_key_schema_setting_is_refused_by_the_real_command(victim: tuple[str, str]) -> None:
    url, schema = victim
    hostile = hostile_names(schema)[1]
    argv = [sys.executable, "-c", "from cli.main import newsroom; newsroom(prog_name='newsroom')"]
    argv += ["--db", url, "--as", "ann", "story", "open", "syria", "--headline", "Syria talks"]

    result = subprocess.run(
        argv, cwd=ROOT, capture_output=True, text=True, env={**os.environ, KEYS_VAR: hostile}
    )

    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Error: {KEYS_VAR} schema")
    assert tables_in(url, schema, hostile) == {(schema, "victim")}


@pytest.mark.parametrize("option", ["--read-db", "--views-db"])
def test_a_second_url_it_cannot_mean_is_refused_before_the_store_is_made(tmp_path: Path, option: str) -> None:
    args = ["--db", f"sqlite:///{tmp_path / 'news.db'}", option, f"{PG_BASE}?shema=other"]
    args += ["--as", "ann", "story", "open", "syria", "--headline", "Syria talks"]

    result = CliRunner().invoke(newsroom, args, catch_exceptions=False)

    assert_one_line_refusal(result, "unknown part 'shema'")
    assert list(tmp_path.iterdir()) == []
