"""The record's fixed vocabularies, in one place. No imports: the CLI, the record format, the
JSON Schema and the tables all read them, and the read paths must stay light."""

KINDS = ("resolution", "consent", "agreement")  # of instrument
RELATIONS = ("renews", "confirms", "replaces")  # of an instrument to the one it follows
OUTCOMES = ("pending", "extended", "not_extended")  # of a review point
DEADLINE_KINDS = ("expiry", "review", "report", "notice")  # notice: last day to object to an
# automatic renewal (docs/records.md, "Automatic renewal")
EVENT_KINDS = ("vetoed", "failed", "other")  # failed or vetoed drafts, and other dated facts
CROSSING_KINDS = ("land", "sea", "air", "route")  # land border, port, airport, route/corridor
# Of a party to an instrument (docs/records.md, "Parties").
PARTY_ROLES = ("authority", "signatory", "host", "guarantor", "observer", "depositary")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # date.weekday() order
# Of a crossing at T as known at K (corridor.services.status): `unrenewed` = the authority
# ended and nothing records a renewal or a reason (an alarm); `unknown` only in a span the
# record marks unknown.
STATES = ("authorized", "lapsed", "unrenewed", "unknown", "never")
