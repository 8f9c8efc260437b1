"""The readers' web's cache of what it made: a purge (a takedown or an erasure learnt of) drops
everything, and a value made while one happened is not kept."""

from __future__ import annotations

from infrastructure.web.site import Lru


def test_a_purge_drops_every_value_kept() -> None:
    cache: Lru[str, str] = Lru(8)
    cache.get("page", lambda: "words")

    cache.generation.advance()
    cache.purge()

    assert cache.peek("page") is None


def test_a_value_read_before_a_purge_is_read_again_and_only_the_second_is_kept() -> None:
    cache: Lru[str, str] = Lru(8)
    reads = iter(["words", "note"])

    def read_across_a_purge() -> str:
        value = next(reads)
        if value == "words":  # the takedown is learnt of while this read is under way
            cache.generation.advance()
            cache.purge()
        return value

    assert cache.get("page", read_across_a_purge) == "note"
    assert cache.peek("page") == "note"


def test_a_value_made_from_what_a_request_read_before_a_purge_is_not_kept() -> None:
    cache: Lru[str, bytes] = Lru(8)
    began = cache.generation.value
    cache.generation.advance()
    cache.purge()

    assert cache.get("page-gzip", lambda: b"words", since=began) == b"words"
    assert cache.peek("page-gzip") is None
