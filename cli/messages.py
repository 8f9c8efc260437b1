"""What an editor reads when the newsroom refuses a command: the domain error's facts, then what
to type next, in the CLI's words (its commands, flags and environment variables)."""

from __future__ import annotations

from cli.write_options import commands_made_by
from domain.errors import (
    EarlierWordsBecameUpdate,
    EarlierWordsNotSealed,
    KeyAlreadyRegistered,
    KeyNotRegistered,
    KeyNotTheirs,
    KeyTypeNotAccepted,
    LastAdmin,
    LastAdminKey,
    NameErased,
    NewsroomError,
    NoAdminYet,
    NoEditorNamed,
    NoSigningKey,
    NothingToCorrect,
    NothingToRevise,
    NotOnStaff,
    RequestIdReused,
    ScheduledInThePast,
    ScheduledPostNotFound,
    ScheduledPostNotPending,
    StaffBusy,
    StaffMemberNotFound,
    StoryAlreadyExists,
    StoryBusy,
    StoryNotFound,
    SubmissionNotFound,
    SubmissionNotPending,
    TimeWithoutZone,
    UpdateAlreadyTakenDown,
    UpdateNotSealed,
    UpdateRetracted,
    VersionConflict,
)


def refusal_message(error: NewsroomError) -> str:
    """The one line printed after "Error: " for a refused command."""
    match error:
        case StoryNotFound(at=None):
            return f"{error}; `newsroom story list` shows the stories"
        case StoryNotFound():
            return f"{error}; give a later time"
        case StoryAlreadyExists():
            return f"{error}; choose another slug"
        case UpdateRetracted() | UpdateAlreadyTakenDown():
            return f"{error}; post a new update instead"
        case EarlierWordsBecameUpdate():
            return f"{error}: take that down with `newsroom update takedown {error.slug} {error.update}`"
        case EarlierWordsNotSealed():
            return f"{error}; the record keeps its words"
        case UpdateNotSealed():
            return f"{error}; `newsroom update retract` hides it from readers, but the record keeps its words"
        case NothingToRevise():
            return f"{error}: give a different --title or --body"
        case NothingToCorrect():
            return f"{error}: give --text, --attribution or both"
        case NoEditorNamed():
            return f"{error}: pass --as NAME or set NEWSROOM_EDITOR"
        case VersionConflict():
            return f"{error}; review `newsroom events` and retry with --expect-version {error.actual}"
        case RequestIdReused():
            return (
                f"request id {error.request_id!r} was already used for `{command_words(error.command)}` on "
                f"{error.slug!r}; use a new request id for a different command"
            )
        case StoryBusy() | StaffBusy():
            return f"{error}: try again"
        case NotOnStaff():
            return f"{error}; an admin adds staff with `newsroom staff add NAME --role ROLE`"
        case NoAdminYet():
            return f"{error}: `newsroom staff add {error.name} --role admin`"
        case LastAdmin():
            return f"{error}; make someone else an admin first (`newsroom staff grant NAME admin`)"
        case LastAdminKey():
            return (
                f"{error}; register another admin's key first "
                "(`newsroom staff key add NAME PUBFILE`, "
                "or `newsroom staff grant NAME admin` to a member with one)"
            )
        case SubmissionNotFound() | SubmissionNotPending():
            return f"{error}; `newsroom submissions {error.slug}` lists the pending ones"
        case ScheduledPostNotFound() | ScheduledPostNotPending():
            return f"{error}; `newsroom schedule` lists what waits"
        case TimeWithoutZone():
            return f"{error}: add one, as in 2026-05-10T12:00+01:00 or 2026-05-10T11:00Z"
        case ScheduledInThePast():
            return f"{error}: give a later time, or publish it now"
        case NameErased():
            return f"{error}; an erased name can no longer be recorded or act"
        case KeyTypeNotAccepted():
            return f"{error}; make one with `ssh-keygen -t ed25519`"
        case KeyAlreadyRegistered():
            return f"{error}; each key belongs to one member: make another with `ssh-keygen -t ed25519`"
        case NoSigningKey():
            return (
                f"{error}: pass --key FILE (their Ed25519 private key), set NEWSROOM_SIGNING_KEY, "
                "or add the key to the ssh-agent (`ssh-add`); nothing was recorded"
            )
        case KeyNotRegistered() | KeyNotTheirs():
            return f"{error}; `newsroom staff list` shows each member's keys"
        case StaffMemberNotFound():
            return f"{error}; `newsroom staff list` shows the staff"
    return str(error)


def command_words(command_id: str) -> str:
    """`newsroom`'s words for the command `command_id` ("update post"), read from the click tree
    (`cli.write_options.request_id_for`); the id itself for a command no CLI command makes."""
    from cli.main import newsroom  # the root group imports this module only to word a refusal

    return commands_made_by(newsroom).get(command_id, command_id)
