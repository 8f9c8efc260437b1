"""Random editors' commands, checked after every step: the live page equals a fold of the story's
events, history has one row per event, a rebuild equals the incremental read models, and every
chain verifies. A refused command records nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.errors import NewsroomError
from infrastructure.audit.verify import verify_store
from infrastructure.bootstrap import bootstrap
from infrastructure.projections.database import memory_engine
from infrastructure.projections.runner import ProjectionRunner
from tests.conftest import StepClock
from tests.integration.histories import table_rows

SLUGS = st.sampled_from(["alpha", "beta"])
NUMBERS = st.integers(min_value=1, max_value=4)
TEXT = st.sampled_from(["Talks go on", "Budget day", "  "]) | st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30
)
BODIES = st.sampled_from(
    [
        "Plain news.",
        "> We are hopeful.\n>\n> – The spokesman\n\n> A second quote.",
        "Options:\n\n- One\n- <script>alert(1)</script>",
        "![Leaders meet](https://example.org/x.jpg)\nCredit: PA Wire",
        "   ",
    ]
)


class Editors(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.newsroom = bootstrap(f"sqlite:///{Path(self.folder.name) / 'n.db'}", clock=StepClock())
        self.app = self.newsroom.app

    def teardown(self) -> None:
        self.newsroom.close()
        self.folder.cleanup()

    def attempt(self, slug: str, command) -> None:
        """Runs a command; if it is refused, nothing may have been recorded."""
        before = self.app.recorder.max_notification_id()
        try:
            command()
        except NewsroomError:
            assert self.app.recorder.max_notification_id() == before

    @initialize()
    def open_stories(self) -> None:
        for slug in ("alpha", "beta"):
            self.app.open_story(slug, f"Story {slug}", editor="ann")

    @rule(slug=SLUGS, headline=TEXT)
    def open_a_taken_slug(self, slug: str, headline: str) -> None:
        self.attempt(slug, lambda: self.app.open_story(slug, headline, editor="ann"))

    @rule(slug=SLUGS, body=BODIES.filter(str.strip), pin=st.booleans())
    def post_news(self, slug: str, body: str, pin: bool) -> None:
        self.attempt(slug, lambda: self.app.post_update(slug, "News", body, pin=pin, editor="bob"))

    @rule(slug=SLUGS, title=TEXT, body=BODIES, pin=st.booleans(), key_event=st.booleans())
    def post(self, slug: str, title: str, body: str, pin: bool, key_event: bool) -> None:
        self.attempt(
            slug,
            lambda: self.app.post_update(slug, title, body, pin=pin, key_event=key_event, editor="bob"),
        )

    @rule(slug=SLUGS, number=NUMBERS, title=st.none() | TEXT, body=st.none() | BODIES)
    def revise(self, slug: str, number: int, title: str | None, body: str | None) -> None:
        self.attempt(
            slug,
            lambda: self.app.revise_update(slug, number, title=title, body=body, reason="Fix", editor="ann"),
        )

    @rule(slug=SLUGS, number=NUMBERS, quote=st.integers(1, 3), text=TEXT)
    def correct_quote(self, slug: str, number: int, quote: int, text: str) -> None:
        self.attempt(
            slug,
            lambda: self.app.correct_quote(slug, number, quote, text=text, note="Misquote", editor="cy"),
        )

    @rule(slug=SLUGS, number=NUMBERS, action=st.sampled_from(["retract", "pin", "unpin", "key", "unkey"]))
    def change_update(self, slug: str, number: int, action: str) -> None:
        app = self.app
        commands = {
            "retract": lambda: app.retract_update(slug, number, reason="Legal", editor="ann"),
            "pin": lambda: app.pin_update(slug, number, editor="ann"),
            "unpin": lambda: app.unpin_update(slug, number, editor="ann"),
            "key": lambda: app.mark_key_event(slug, number, editor="ann"),
            "unkey": lambda: app.mark_key_event(slug, number, key_event=False, editor="ann"),
        }
        self.attempt(slug, commands[action])

    @rule(slug=SLUGS, action=st.sampled_from(["publish", "close", "reopen", "headline"]), text=TEXT)
    def change_story(self, slug: str, action: str, text: str) -> None:
        app = self.app
        commands = {
            "publish": lambda: app.publish_story(slug, editor="ann"),
            "close": lambda: app.close_story(slug, editor="ann"),
            "reopen": lambda: app.reopen_story(slug, editor="ann"),
            "headline": lambda: app.change_headline(slug, text, reason="News moved on", editor="ann"),
        }
        self.attempt(slug, commands[action])

    @invariant()
    def read_models_equal_the_events(self) -> None:
        queries = self.newsroom.caught_up()
        for slug in ("alpha", "beta"):
            assert queries.page(slug) == self.app.get_page(slug)
            assert len(queries.history(slug)) == len(self.app.get_events(slug))
        rebuilt = ProjectionRunner(self.app, memory_engine())
        rebuilt.catch_up()
        assert table_rows(rebuilt.engine) == table_rows(queries.engine)
        rebuilt.engine.dispose()

    @invariant()
    def every_chain_verifies(self) -> None:
        assert verify_store(self.app).intact


TestEditors = Editors.TestCase
TestEditors.settings = settings(
    max_examples=25, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
