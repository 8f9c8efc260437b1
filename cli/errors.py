"""The CLI's two kinds of failure: a refused command (exit 1) and bad usage (exit 2)."""

from __future__ import annotations

import click


class Refused(click.ClickException):
    """The newsroom refused the command; nothing was appended."""

    exit_code = 1


class BadUsage(click.ClickException):
    """The command line itself is wrong."""

    exit_code = 2
