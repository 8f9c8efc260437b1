"""Domain errors: each names what went wrong and carries the facts for the editor's message.

str() states the facts in the newsroom's words; `cli/messages.py` adds what to type next.
"""

from __future__ import annotations

from datetime import datetime


class NewsroomError(Exception):
    """A command the newsroom refuses; str() says what is wrong, on one line."""


class InvalidInput(NewsroomError):
    """A value an editor gave breaks a rule (empty headline, bad slug, body too long...)."""


class NoEditorNamed(InvalidInput):
    """Every event names its editor, and none was given."""

    def __init__(self) -> None:
        super().__init__("no editor named")


class NothingToCorrect(InvalidInput):
    """A quote correction gives neither new words nor a new attribution."""

    def __init__(self, slug: str, number: int, quote: int) -> None:
        self.slug, self.number, self.quote = slug, number, quote
        super().__init__("nothing to correct")


class StoryNotFound(NewsroomError):
    def __init__(self, slug: str, at: datetime | None = None) -> None:
        self.slug, self.at = slug, at
        if at is None:
            message = f"no story with slug {slug!r}"
        else:
            message = f"story {slug!r} did not exist yet at {at.isoformat()}"
        super().__init__(message)


class StoryAlreadyExists(NewsroomError):
    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(f"a story with slug {slug!r} already exists")


class UpdateNotFound(NewsroomError):
    def __init__(self, slug: str, number: int, last: int) -> None:
        self.slug, self.number, self.last = slug, number, last
        hint = f"updates are numbered 1 to {last}" if last else "it has no updates yet"
        super().__init__(f"story {slug!r} has no update {number}; {hint}")


class UpdateRetracted(NewsroomError):
    def __init__(self, slug: str, number: int) -> None:
        self.slug, self.number = slug, number
        super().__init__(f"update {number} of {slug!r} has been retracted and cannot be changed")


class UpdateAlreadyTakenDown(NewsroomError):
    def __init__(self, slug: str, number: int) -> None:
        self.slug, self.number = slug, number
        super().__init__(f"update {number} of {slug!r} has been taken down and cannot be changed")


class UpdateNotSealed(NewsroomError):
    """The update was stored before its words were encrypted: no key can shred them."""

    def __init__(self, slug: str, number: int) -> None:
        self.slug, self.number = slug, number
        super().__init__(
            f"update {number} of {slug!r} was stored before updates were encrypted, "
            "so its words cannot be shredded"
        )


class EarlierWordsTakenDown(NewsroomError):
    """A submission's or a scheduled post's words were taken down already."""

    def __init__(self, slug: str, kind: str, number: int) -> None:
        self.slug, self.kind, self.number = slug, kind, number
        super().__init__(f"{_earlier(kind, number)} of {slug!r} has been taken down already")


class EarlierWordsBecameUpdate(NewsroomError):
    """The submission was approved, or the scheduled post published, as an update: its earlier
    words go with that update's takedown."""

    def __init__(self, slug: str, kind: str, number: int, update: int) -> None:
        self.slug, self.kind, self.number, self.update = slug, kind, number, update
        super().__init__(f"{_earlier(kind, number)} of {slug!r} became update {update}")


class EarlierWordsNotSealed(NewsroomError):
    """The submission's or scheduled post's words were stored before they were encrypted."""

    def __init__(self, slug: str, kind: str, number: int) -> None:
        self.slug, self.kind, self.number = slug, kind, number
        super().__init__(
            f"{_earlier(kind, number)} of {slug!r} was stored before its words were encrypted, "
            "so they cannot be shredded"
        )


def _earlier(kind: str, number: int) -> str:
    return f"{'submission' if kind == 'submission' else 'scheduled post'} {number}"


class SubmissionNotFound(NewsroomError):
    """No submission with that number was ever made to the story."""

    def __init__(self, slug: str, submission: int, last: int) -> None:
        self.slug, self.submission, self.last = slug, submission, last
        hint = f"submissions are numbered 1 to {last}" if last else "it has no submissions yet"
        super().__init__(f"story {slug!r} has no submission {submission}; {hint}")


class SubmissionNotPending(NewsroomError):
    """The submission was already approved, rejected or withdrawn (the history says which)."""

    def __init__(self, slug: str, submission: int) -> None:
        self.slug, self.submission = slug, submission
        super().__init__(f"submission {submission} of {slug!r} is no longer pending")


class NotSubmitter(NewsroomError):
    """Only whoever made a submission may revise or withdraw it."""

    def __init__(self, slug: str, submission: int, name: str, submitter: str) -> None:
        self.slug, self.submission, self.name, self.submitter = slug, submission, name, submitter
        super().__init__(
            f"submission {submission} of {slug!r} was made by {submitter}: "
            "only they may revise or withdraw it"
        )


class QuoteNotFound(NewsroomError):
    def __init__(self, slug: str, number: int, quote: int, count: int) -> None:
        self.slug, self.number, self.quote, self.count = slug, number, quote, count
        hint = f"it has quotes 1 to {count}" if count else "it has no quotes"
        super().__init__(f"update {number} of {slug!r} has no quote {quote}; {hint}")


class WrongStatus(NewsroomError):
    """The story's status (draft, live, closed) does not allow the command."""

    def __init__(self, slug: str, status: str, message: str) -> None:
        self.slug, self.status = slug, status
        super().__init__(f"story {slug!r} is {status}: {message}")


class NothingToChange(NewsroomError):
    """The command would record an event that changes nothing."""


class NothingToRevise(NothingToChange):
    """A revision gives the update's title and body as they already are."""

    def __init__(self, slug: str, number: int) -> None:
        self.slug, self.number = slug, number
        super().__init__(f"the revision leaves update {number} of {slug!r} as it is")


class VersionConflict(NewsroomError):
    def __init__(self, slug: str, expected: int, actual: int) -> None:
        self.slug, self.expected, self.actual = slug, expected, actual
        super().__init__(
            f"conflict: story {slug!r} is at version {actual}, not the version {expected} you expected"
        )


class RequestIdReused(NewsroomError):
    """`command` is the id (`CommandRequest.command`) of the command first made under the request id."""

    def __init__(self, request_id: str, command: str, slug: str) -> None:
        self.request_id, self.command, self.slug = request_id, command, slug
        super().__init__(f"request id {request_id!r} was already used for {command} on {slug!r}")


class StoryBusy(NewsroomError):
    """Other editors kept changing the story while the command was being made."""

    def __init__(self, slug: str, attempts: int) -> None:
        self.slug, self.attempts = slug, attempts
        super().__init__(
            f"story {slug!r} changed under this command {attempts} times running; nothing was written"
        )


# Staff and roles.


class NotPermitted(NewsroomError):
    """A member of staff holds no role that allows the command."""

    def __init__(
        self, name: str, roles: tuple[str, ...], command: str, action: str, held: str, required: str
    ) -> None:
        self.name, self.roles, self.command, self.required = name, roles, command, required
        super().__init__(f"{name} is {held}: only {required} may {action}")


class NotOnStaff(NewsroomError):
    """The store has an admin, and the name is not on its staff (never added, or removed)."""

    def __init__(self, name: str, command: str, action: str, required: str) -> None:
        self.name, self.command, self.required = name, command, required
        super().__init__(f"{name} is not on the staff: only {required} may {action}")


class UnknownRole(InvalidInput):
    def __init__(self, role: str, roles: tuple[str, ...]) -> None:
        self.role, self.roles = role, roles
        super().__init__(f"there is no role {role!r}; the roles are {', '.join(sorted(roles))}")


class NoAdminYet(NewsroomError):
    """The staff has no admin: the first member added must be one."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"the staff has no admin yet, so {name} can only be added as an admin")


class AlreadyOnStaff(NewsroomError):
    def __init__(self, name: str, roles: tuple[str, ...]) -> None:
        self.name, self.roles = name, roles
        super().__init__(f"{name} is already on the staff ({', '.join(roles)})")


class StaffMemberNotFound(NewsroomError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"{name} is not on the staff")


class LastAdmin(NewsroomError):
    """The last admin can neither be removed nor lose the role: someone must manage the staff."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"{name} is the last admin: the staff needs one")


class LastAdminKey(NewsroomError):
    """On a store whose roster has keys, a roster change is signed by an admin's current key: the
    change would leave no admin holding one, and the staff could never be changed again."""

    def __init__(self, name: str, fingerprints: tuple[str, ...]) -> None:
        self.name, self.fingerprints = name, fingerprints
        held = ", ".join(fingerprints)
        super().__init__(
            f"{name} is the last admin with a key ({held}): no one could sign a change to the staff"
        )


class StaffBusy(NewsroomError):
    """Other admins kept changing the staff while the command was being made."""

    def __init__(self, attempts: int) -> None:
        self.attempts = attempts
        super().__init__(
            f"the staff changed under this command {attempts} times running; nothing was written"
        )


class TimeWithoutZone(InvalidInput):
    """A publication time must say its zone: "12:00" alone is noon somewhere."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment
        super().__init__(f"the time {moment.isoformat()} names no time zone")


class ScheduledInThePast(NewsroomError):
    """A publication time that has already gone by when the schedule was made."""

    def __init__(self, moment: datetime, now: datetime) -> None:
        self.moment, self.now = moment, now
        super().__init__(f"the time {moment.isoformat()} has already passed (it is {now.isoformat()})")


class ScheduledPostNotFound(NewsroomError):
    """No scheduled post with that number was ever made on the story."""

    def __init__(self, slug: str, scheduled: int, last: int) -> None:
        self.slug, self.scheduled, self.last = slug, scheduled, last
        hint = f"scheduled posts are numbered 1 to {last}" if last else "it has no scheduled posts"
        super().__init__(f"story {slug!r} has no scheduled post {scheduled}; {hint}")


class ScheduledPostNotPending(NewsroomError):
    """The scheduled post was already published or unscheduled (the history says which)."""

    def __init__(self, slug: str, scheduled: int) -> None:
        self.slug, self.scheduled = slug, scheduled
        super().__init__(f"scheduled post {scheduled} of {slug!r} is no longer waiting")


class NameErased(NewsroomError):
    """A name whose person was erased (`staff erase`) was given to be recorded again: their key is
    destroyed, so nothing can be sealed under it, and they can no longer act."""

    def __init__(self, name: str | None = None) -> None:
        self.name = name
        super().__init__(f"{name!r} was erased" if name else "a name given was erased")


# Keys and signatures.


class KeyTypeNotAccepted(InvalidInput):
    """Only Ed25519 keys sign in the newsroom."""

    def __init__(self, key_type: str) -> None:
        self.key_type = key_type
        super().__init__(f"a {key_type} key cannot sign here: only Ed25519 keys (ssh-ed25519) are accepted")


class KeyAlreadyRegistered(NewsroomError):
    """A key belongs to one member, once: a revoked key never becomes valid again."""

    def __init__(self, fingerprint: str, member: str, revoked: int | None) -> None:
        self.fingerprint, self.member, self.revoked = fingerprint, member, revoked
        state = "is registered" if revoked is None else f"was revoked at roster version {revoked}"
        super().__init__(f"key {fingerprint} {state} (to {member})")


class KeyNotRegistered(NewsroomError):
    """The key is not one of the member's current keys."""

    def __init__(self, fingerprint: str, member: str) -> None:
        self.fingerprint, self.member = fingerprint, member
        super().__init__(f"key {fingerprint} is not one of {member}'s current keys")


class NoSigningKey(NewsroomError):
    """The store signs every change, and no private key was given to sign this one with."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"this store signs every change, and no key was given to sign {name}'s with")


class KeyNotTheirs(NewsroomError):
    """The keys given to sign with are none of the acting member's current keys."""

    def __init__(self, fingerprints: tuple[str, ...], name: str) -> None:
        self.fingerprints, self.name = fingerprints, name
        if len(fingerprints) == 1:
            said = f"key {fingerprints[0]} is not one of {name}'s current keys"
        else:
            said = f"none of the keys {', '.join(fingerprints)} is one of {name}'s current keys"
        super().__init__(f"{said}: nothing was recorded")
