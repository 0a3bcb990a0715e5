"""The tables, in SQLAlchemy Core. Alembic migrations are the schema's only author; this
module is what they are checked against (tests/test_migrations.py fails on drift).

Core rather than the ORM: the read paths (upcoming, status, completion) run on every TAB press
and every cron tick, and sqlalchemy.orm costs ~70 ms more to import than sqlalchemy alone.

Two tables are derived, never edited by hand, and rebuilt per instrument whenever it changes:
- `coverage`: one row per (period, crossing) that actually authorizes the crossing, with the
  date from which that is known (`known_from`), so `--as-of` is a filter, not a replay.
- `deadlines`: one row per (deadline, crossing), indexed by date: "what is due in the next N
  days" is a range scan, whatever the size of the history.

The record's tables and the derived ones are here; the operational ones (audit trail, alerts,
planned movements) are in `corridor.db.tables_ops` and re-exported, and the one `metadata` in
`corridor.db.metadata`: import every table from this module.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from corridor.db.metadata import metadata as metadata
from corridor.db.tables_ops import alert_acks as alert_acks
from corridor.db.tables_ops import alert_outbox as alert_outbox
from corridor.db.tables_ops import alert_quiet as alert_quiet
from corridor.db.tables_ops import alert_runs as alert_runs
from corridor.db.tables_ops import change_crossings as change_crossings
from corridor.db.tables_ops import changes as changes
from corridor.db.tables_ops import plans as plans
from corridor.db.tables_ops import record_stamp as record_stamp
from corridor.db.types import UTCDateTime

record_meta = Table(
    "record_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=True),
)

crossings = Table(
    "crossings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(80), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    # land | sea | air | route (corridor.core.vocab.CROSSING_KINDS); its countries are in
    # crossing_countries, one or more (a port has one, a land border two, a route several).
    Column("kind", String(10), nullable=False, default="land"),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("notes", Text, nullable=True),
    # "The record for this crossing is complete as of" this date (a declaration, exported).
    Column("known_until", Date, nullable=True),
    Column("known_until_note", Text, nullable=True),
    # The instant the check (`known_until`) was declared, when the record gives it
    # (docs/time.md, "When a fact is known"); else it is known from the end of its day.
    Column("known_until_at", UTCDateTime(), nullable=True),
    # Earlier declarations a later one replaced (a JSON list of dates or instants, as written):
    # facts like any other, so a replay as known before the later one keeps them.
    Column("checked_before", Text, nullable=True),
)

crossing_aliases = Table(
    "crossing_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "crossing_id", ForeignKey("crossings.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("alias", String(200), nullable=False),
    Column("position", Integer, nullable=False, default=0),
    UniqueConstraint("crossing_id", "alias", name="uq_crossing_aliases_crossing_alias"),
)

# Every name a crossing answers to (display name, slug, aliases), folded as lookups fold them
# (corridor.core.names.index_key). The primary key makes a name point to one crossing only,
# whatever the writer or the race (README "Guarantees"). Kept by corridor.store.writer.
crossing_keys = Table(
    "crossing_keys",
    metadata,
    Column("name_key", Text, primary_key=True),
    Column(
        "crossing_id", ForeignKey("crossings.id", ondelete="CASCADE"), nullable=False, index=True
    ),
)

crossing_countries = Table(
    "crossing_countries",
    metadata,
    Column("crossing_id", ForeignKey("crossings.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("code", String(2), nullable=False, index=True),
)

# Spans of a crossing's history that the record marks unknown ("an extension surely covered
# it, but no source gives its dates"): there `status` says `unknown`, never `lapsed`.
unknown_spans = Table(
    "unknown_spans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "crossing_id", ForeignKey("crossings.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("position", Integer, nullable=False, default=0),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("starts_at", UTCDateTime(), nullable=False),
    Column("ends_at", UTCDateTime(), nullable=False),
    Column("note", Text, nullable=True),
    Column("source", Text, nullable=True),
    # When the record learnt of the span (None: for as long as the record has held it); a
    # replay as known before this instant does not see it (docs/time.md).
    Column("known_at", UTCDateTime(), nullable=True),
)

instruments = Table(
    "instruments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("symbol", String(200), nullable=False, unique=True),
    Column("title", Text, nullable=True),
    Column("kind", String(20), nullable=False),
    Column("authority", String(200), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("adopted", Date, nullable=True),
    # When the record takes the instrument as known for --as-of: the adoption date, or, when
    # that is unconfirmed, the first day it covers (it cannot have been unknown while in force).
    Column("known_from", Date, nullable=False),
    # The first instant of known_from in the authority's zone: a fact dated D is known from
    # the start of D where it was made (docs/time.md).
    Column("known_at", UTCDateTime(), nullable=False),
    Column("vote", String(64), nullable=True),
    Column("source", Text, nullable=True),
    Column("source_url", Text, nullable=True),
    Column("unconfirmed", Text, nullable=True),
    # A sourced reservation shown beside "authorized" (docs/format.md, "caveat").
    Column("caveat", Text, nullable=True),
    Column("notes", Text, nullable=True),
    Column(
        "renews_id", ForeignKey("instruments.id", ondelete="SET NULL"), nullable=True, index=True
    ),
    Column("relation", String(20), nullable=True),
    # The place of signature, when the text names no authority whose zone governs its dates
    # (then `timezone` is that place's zone: docs/records.md, "Parties").
    Column("signed_in", String(200), nullable=True),
    # Ended early by a party "with effect from" a date, known from another (docs/records.md,
    # "Termination"): the stored periods keep their ends; derivation voids and truncates.
    Column("terminated_effective", Date, nullable=True),
    Column("terminated_known", Date, nullable=True),
    Column("terminated_by", Text, nullable=True),
    Column("terminated_source", Text, nullable=True),
    Column("terminated_note", Text, nullable=True),
    # Instants given by the record (a meeting's time, or when a fact was recorded from the
    # command line on its own day); without one a fact dated D is known from the end of D in
    # the authority's zone (docs/time.md, "When a fact is known").
    Column("adopted_at", UTCDateTime(), nullable=True),
    Column("terminated_known_at", UTCDateTime(), nullable=True),
)

# The parties to an instrument besides (or including) its `authority`: who signed, hosts,
# guarantees... (docs/records.md, "Parties"). The instrument's one timezone stays on the
# instruments row.
instrument_parties = Table(
    "instrument_parties",
    metadata,
    Column("instrument_id", ForeignKey("instruments.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("note", Text, nullable=True),
)

# Working days (docs/records.md, "Working days"): a calendar for an authority (by name) or a
# country (by ISO code) names its weekend and holidays; corridor.core.workdays ships defaults.
calendars = Table(
    "calendars",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("applies_to", String(200), nullable=False, unique=True),
    Column("weekend", String(40), nullable=True),  # e.g. "Fri,Sat"; NULL: the shipped default
    Column("source", Text, nullable=True),
    Column("note", Text, nullable=True),
)

calendar_holidays = Table(
    "calendar_holidays",
    metadata,
    Column("calendar_id", ForeignKey("calendars.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("name", Text, nullable=False),
)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "instrument_id",
        ForeignKey("instruments.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("review_date", Date, nullable=False),
    Column("condition", Text, nullable=True),
    Column("outcome", String(20), nullable=False, default="pending"),
    Column("decided_on", Date, nullable=True),
    Column("decided_by", Text, nullable=True),
    Column("note", Text, nullable=True),
    Column("decided_at", UTCDateTime(), nullable=True),  # the decision's instant, if given
)

periods = Table(
    "periods",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "instrument_id",
        ForeignKey("instruments.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("position", Integer, nullable=False, default=0),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("ends_at", UTCDateTime(), nullable=False),
    Column("term", String(16), nullable=True),
    Column("term_from", String(16), nullable=True),
    Column("stated", Text, nullable=True),
    Column(
        "conditional_review_id",
        ForeignKey("reviews.id", ondelete="SET NULL"),
        nullable=True,
    ),
    # Automatic renewal unless a party objects (docs/records.md, "Automatic renewal"): the
    # renewal term (null: the period's own), the notice an objection needs, at most how many
    # renewals are derived, and a date no renewal runs past.
    Column("auto_renews", Boolean, nullable=False, default=False),
    Column("renew_for", String(16), nullable=True),
    Column("renew_notice", String(16), nullable=True),
    Column("renew_max", Integer, nullable=True),
    Column("renew_until", Date, nullable=True),
)

# Objections to a period's automatic renewal: who notified one, and on which day (known from
# the first instant of that day in the authority's zone).
objections = Table(
    "objections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("period_id", ForeignKey("periods.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("notified_on", Date, nullable=False),
    Column("party", Text, nullable=False),
    Column("source", Text, nullable=True),
    Column("note", Text, nullable=True),
    Column("notified_at", UTCDateTime(), nullable=True),  # the notice's instant, if given
)

# Alternative ends of a disputed period, each with its source. Reports use the earliest of the
# period's own end and these (docs/records.md, "Disputed ends").
period_ends = Table(
    "period_ends",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("period_id", ForeignKey("periods.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("end_date", Date, nullable=False),
    Column("source", Text, nullable=False),
    Column("note", Text, nullable=True),
)

period_crossings = Table(
    "period_crossings",
    metadata,
    Column("period_id", ForeignKey("periods.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "crossing_id", ForeignKey("crossings.id", ondelete="RESTRICT"), primary_key=True, index=True
    ),
)

reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "instrument_id",
        ForeignKey("instruments.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("due_date", Date, nullable=False),
    Column("description", Text, nullable=False),
    Column("note", Text, nullable=True),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("event_date", Date, nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("title", Text, nullable=False),
    Column("vote", String(64), nullable=True),
    Column("source", Text, nullable=True),
    Column("note", Text, nullable=True),
    Column("event_at", UTCDateTime(), nullable=True),  # the vote's instant, if given
    UniqueConstraint("event_date", "title", name="uq_events_date_title"),
)

event_crossings = Table(
    "event_crossings",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "crossing_id", ForeignKey("crossings.id", ondelete="RESTRICT"), primary_key=True, index=True
    ),
)

# Derived, never edited: every fact about a crossing with the instant it became known (an
# adoption covering it, a decided review, a termination, an objection, a vetoed or failed
# draft naming it, a declared check). A crossing's horizon as known at K, and the reason a
# lapse has at K, are read from the rows known at K (docs/time.md). Rebuilt by
# corridor.store.horizon in the writer's transaction.
crossing_facts = Table(
    "crossing_facts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("crossing_id", ForeignKey("crossings.id", ondelete="CASCADE"), nullable=False),
    # adopted | extended | not_extended | terminated | objected | vetoed | failed | checked
    Column("kind", String(20), nullable=False),
    Column("day", Date, nullable=False),
    Column("known_at", UTCDateTime(), nullable=False),
    Column("instrument_id", ForeignKey("instruments.id", ondelete="CASCADE"), nullable=True),
    Column("detail", Text, nullable=True),  # the instrument's symbol or the draft's title
    Index("ix_crossing_facts_crossing_known", "crossing_id", "known_at"),
)

coverage = Table(
    "coverage",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "instrument_id",
        ForeignKey("instruments.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("period_id", ForeignKey("periods.id", ondelete="CASCADE"), nullable=False),
    Column("crossing_id", ForeignKey("crossings.id", ondelete="CASCADE"), nullable=False),
    Column("start_date", Date, nullable=False),
    # start_date - 1 day, stored so "does coverage continue right after D?" is a plain
    # comparison on every backend (no dialect-specific date arithmetic in SQL).
    Column("continues_after", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("starts_at", UTCDateTime(), nullable=False),
    Column("ends_at", UTCDateTime(), nullable=False),
    Column("known_from", Date, nullable=False),
    Column("known_at", UTCDateTime(), nullable=False),
    # From this instant the row no longer counts: a termination became known (core.derive).
    Column("void_at", UTCDateTime(), nullable=True),
    # null: a recorded period; "renewal": an automatic renewal term; "terminated" and
    # "renewal-cut": a period or a renewal term cut short at a termination's effective instant.
    Column("origin", String(12), nullable=True),
    Index("ix_coverage_crossing_end", "crossing_id", "end_date"),
    Index("ix_coverage_crossing_ends_at", "crossing_id", "ends_at"),
)

deadlines = Table(
    "deadlines",
    metadata,
    Column("id", Integer, primary_key=True),
    # The deadline's identity (corridor.core.derive.uid): one per deadline, shared by its
    # crossings' rows; stable across databases, re-derivations and date corrections.
    Column("uid", String(255), nullable=False, index=True),
    Column(
        "instrument_id",
        ForeignKey("instruments.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("crossing_id", ForeignKey("crossings.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("due_at", UTCDateTime(), nullable=False),
    Column("known_from", Date, nullable=False),
    Column("void_from", Date, nullable=True),
    Column("known_at", UTCDateTime(), nullable=False),
    Column("void_at", UTCDateTime(), nullable=True),
    Column("conditional", Boolean, nullable=False, default=False),
    Column("review_id", ForeignKey("reviews.id", ondelete="CASCADE"), nullable=True),
    Column("note", Text, nullable=True),
    # JSON text, for deadlines of the new shapes only (core.derive): renews_to, objection_by,
    # disputed_ends, terminated, and `changes` (what they become from an instant: an objection
    # known, a notice day passed, a termination known). Null for every ordinary deadline.
    Column("detail", Text, nullable=True),
    Index("ix_deadlines_due_date", "due_date"),
    Index("ix_deadlines_crossing_due", "crossing_id", "due_date"),
    UniqueConstraint("uid", "crossing_id", name="uq_deadlines_uid_crossing"),
)
