"""`python -m cli` runs the newsroom command."""

from cli.main import newsroom

newsroom(prog_name="newsroom")
