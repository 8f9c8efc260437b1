"""`newsroom quote correct`: fix a misquote with a public correction note."""

from __future__ import annotations

import click

from cli.session import Session, pass_session
from cli.write_options import NUMBER, request_id_for


@click.group()
def quote() -> None:
    """Correct the quotes inside updates.

    \b
    Example:
      newsroom --as ann quote correct syria-talks 2 1 --text "By the end of May is impossible" \\
        --note "The quote was misattributed"
    """


@quote.command("correct")
@click.argument("slug")
@click.argument("number", type=NUMBER)
@click.argument("quote_number", metavar="Q", type=NUMBER)
@click.option("--text", help="The corrected words of the quote.")
@click.option("--attribution", help="The corrected attribution.")
@click.option("--note", required=True, help='Public note; readers see "Corrected at HH:MM: NOTE".')
@click.option("--expect-version", type=NUMBER, help="Refuse if the story has moved on from this version.")
@request_id_for("correct_quote")
@pass_session
def correct(
    session: Session,
    slug: str,
    number: int,
    quote_number: int,
    text: str | None,
    attribution: str | None,
    note: str,
    expect_version: int | None,
    request_id: str | None,
) -> None:
    """Correct quote Q (1-based, in order of appearance) of update NUMBER.

    \b
    Example:
      newsroom --as ann quote correct syria-talks 4 1 --attribution "A Downing Street source" \\
        --note "Attribution corrected"
    """
    version = session.app.correct_quote(
        slug,
        number,
        quote_number,
        text=text,
        attribution=attribution,
        note=note,
        editor=session.editor,
        request_id=request_id,
        expect_version=expect_version,
    )
    click.echo(f"{slug}: quote {quote_number} of update {number} corrected (version {version})")
