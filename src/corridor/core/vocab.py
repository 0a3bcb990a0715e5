"""The record's fixed vocabularies, in one place: each choice is a `StrEnum` (its members are
the words, so a type checker sees them and Typer offers them as choices), and the tuple beside
it holds the same words as plain strings, in order, for the record format, the JSON Schema and
the tables. Only the standard library: the read paths import this module."""

from enum import StrEnum


class InstrumentKind(StrEnum):
    """What an instrument is (`corridor add --kind`)."""

    resolution = "resolution"
    consent = "consent"
    agreement = "agreement"


class Relation(StrEnum):
    """How an instrument follows the one it renews (`--relation`)."""

    renews = "renews"
    confirms = "confirms"
    replaces = "replaces"


class Outcome(StrEnum):
    """Of a review point."""

    pending = "pending"
    extended = "extended"
    not_extended = "not_extended"


class DeadlineKind(StrEnum):
    """notice: the last day to object to an automatic renewal (docs/records.md, "Automatic
    renewal")."""

    expiry = "expiry"
    review = "review"
    report = "report"
    notice = "notice"


class EventKind(StrEnum):
    """Failed or vetoed drafts, and other dated facts (`corridor draft --kind`)."""

    vetoed = "vetoed"
    failed = "failed"
    other = "other"


class CrossingKind(StrEnum):
    """A land border, a port, an airport, a route or corridor (`corridor crossing add --kind`)."""

    land = "land"
    sea = "sea"
    air = "air"
    route = "route"


class PartyRole(StrEnum):
    """Of a party to an instrument (docs/records.md, "Parties")."""

    authority = "authority"
    signatory = "signatory"
    host = "host"
    guarantor = "guarantor"
    observer = "observer"
    depositary = "depositary"


class State(StrEnum):
    """Of a crossing at T as known at K (corridor.services.status): `unrenewed` = the authority
    ended and nothing records a renewal or a reason (an alarm); `unknown` only in a span the
    record marks unknown."""

    authorized = "authorized"
    lapsed = "lapsed"
    unrenewed = "unrenewed"
    unknown = "unknown"
    never = "never"


def _words(choice: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in choice)


KINDS = _words(InstrumentKind)
RELATIONS = _words(Relation)
OUTCOMES = _words(Outcome)
DEADLINE_KINDS = _words(DeadlineKind)
EVENT_KINDS = _words(EventKind)
CROSSING_KINDS = _words(CrossingKind)
PARTY_ROLES = _words(PartyRole)
STATES = _words(State)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # date.weekday() order
