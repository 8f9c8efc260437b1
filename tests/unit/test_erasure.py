"""Erasures: given the record's past, when an erasure, then exactly this event (naming the request,
who made it, and whom, the name to be sealed under that person's key), or this error and nothing."""

from __future__ import annotations

import itertools

import pytest

from domain.chain import SALTS_FIELD, sealing
from domain.erasure import Erasures
from domain.errors import InvalidInput
from spec_kit import T0


def _given() -> Erasures:
    erasures = Erasures.start(at=T0)
    erasures.collect_events()
    return erasures


def test_an_erasure_records_the_request_and_who_made_it() -> None:
    erasures = _given()

    erasures.erase("Zoë", request="DSAR-1", editor="root", role="admin", at=T0)

    [event] = erasures.collect_events()
    assert isinstance(event, Erasures.PersonErased)
    assert (event.name, event.request, event.editor, event.role) == ("Zoë", "DSAR-1", "root", "admin")
    assert erasures.count == 1


def test_an_erasure_made_sealed_draws_salts_for_both_names() -> None:
    erasures = _given()
    salts = (f"s{n}" for n in itertools.count())

    with sealing(lambda: next(salts)):
        erasures.erase("Zoë", request="DSAR-1", editor="root", role=None, at=T0)

    [event] = erasures.collect_events()
    assert set(vars(event)[SALTS_FIELD]) == {"name", "editor"}


@pytest.mark.parametrize("request_ref", ["", "two\nlines", "x" * 201])
def test_an_erasure_needs_a_request_reference(request_ref: str) -> None:
    erasures = _given()

    with pytest.raises(InvalidInput):
        erasures.erase("Zoë", request=request_ref, editor="root", role=None, at=T0)

    assert erasures.collect_events() == [] and erasures.count == 0
