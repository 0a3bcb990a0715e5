"""Views: the documented JSON contract (README, "JSON output"), built once from the services'
results. Every format (table, json, csv) renders these same rows."""

from __future__ import annotations

from datetime import date, datetime

from corridor.core.workdays import NonWorking


def status_rows(items) -> list[dict]:
    return [
        dict(
            crossing=s.crossing,
            slug=s.slug,
            authorized=s.authorized,
            state=s.state,
            until=s.until,
            until_at=s.until_at,
            until_local=s.until_local,
            days_left=s.days_left,
            instruments=s.instruments,
            lapsed_since=s.lapsed_since,
            last_instrument=s.last_instrument,
            pending=s.pending,
            record_ends=s.horizon,  # JSON key kept: the contract only gains keys
            note=s.note,
            renews_to=s.renews_to,
            objection_by=s.objection_by,
            end_disputed=bool(s.disputed_ends),
            disputed_ends=[e.to_dict() for e in s.disputed_ends],
            ended_at=s.ended_at,
            reason=s.reason,
            unconfirmed=s.unconfirmed,
            unconfirmed_reason=s.unconfirmed_reason,
            authority_timezone=s.authority_timezone,
            caveat=s.caveat,
        )
        for s in items
    ]


def deadline_rows(items) -> list[dict]:
    """`upcoming`'s items in the JSON contract (README, "JSON output")."""
    return [
        dict(
            date=d.date,
            days_left=d.days_left,
            kind=d.kind,
            crossings=d.crossings,
            crossing_slugs=d.slugs,
            instrument=d.instrument,
            note=d.note,
            due_at=d.due_at,
            due_local=d.due_local,
            authority_timezone=d.authority_timezone,
            conditional=d.conditional,
            uid=d.uid,
            non_working=_non_working(d.non_working),
            renews_to=d.renews_to,
            objection_by=d.objection_by,
            end_disputed=bool(d.disputed_ends),
            disputed_ends=[e.to_dict() for e in d.disputed_ends],
            unconfirmed=d.unconfirmed,
            unconfirmed_reason=d.unconfirmed_reason,
        )
        for d in items
    ]


def instrument_rows(items) -> list[dict]:
    """`corridor instrument list`: one row per instrument (README, "JSON output")."""
    return [
        dict(
            symbol=s.symbol,
            kind=s.kind,
            authority=s.authority,
            adopted=s.adopted,
            crossings=s.crossings,
            start=s.start,
            until=s.until,
            until_if_extended=s.until_if_extended,
            renews=s.renews,
            renewed_by=s.renewed_by,
            unconfirmed=s.unconfirmed,
        )
        for s in items
    ]


def instrument_view(d) -> dict:
    """`corridor instrument show`: one instrument, everything recorded about it."""
    return dict(
        symbol=d.symbol,
        title=d.title,
        kind=d.kind,
        authority=d.authority,
        timezone=d.timezone,
        adopted=d.adopted,
        vote=d.vote,
        source=d.source,
        source_url=d.source_url,
        unconfirmed=d.unconfirmed,
        caveat=d.caveat,
        notes=d.notes,
        renews=d.renews,
        relation=d.relation,
        renewed_by=d.renewed_by,
        periods=[
            dict(
                crossings=p.crossings,
                crossing_slugs=p.slugs,
                start=p.start,
                until=p.until,
                ends_at=p.ends_at,
                term=p.term,
                term_from=p.term_from,
                stated=p.stated,
                conditional_on=p.conditional_on,
                outcome=p.outcome,
            )
            for p in d.periods
        ],
        reviews=d.reviews,
        reports=d.reports,
        links=[dict(url=k.url, derived=k.derived, label=k.label) for k in d.links],
    )


def _non_working(flag: NonWorking | None) -> dict | None:
    if flag is None:
        return None
    return dict(
        day=flag.day,
        calendar=flag.calendar,
        reason=flag.reason,
        holiday=flag.holiday,
        last_working_day=flag.last_working_day,
        note=flag.note,
    )


def parties_rows(items) -> list[dict]:
    """Instruments' parties (corridor.services.parties) in the JSON contract (README)."""
    return [
        dict(
            symbol=p.symbol,
            authority=p.authority,
            timezone=p.timezone,
            signed_in=p.signed_in,
            parties=[dict(name=x.name, role=x.role, note=x.note) for x in p.parties],
        )
        for p in items
    ]


# ---------------------------------------------------------------- writes and the audit trail


def write_view(result) -> dict:
    """What a command that writes the record answers with --format json (corridor.services.edit
    `Result`): the message, what changed, the record after it and its deadlines; with
    --dry-run, also the audit entries it would have written."""
    doc = dict(
        message=result.message,
        created=result.summary.created,
        updated=result.summary.updated,
        removed=result.summary.removed,
        unchanged=result.summary.unchanged,
        record=result.record,
        deadlines=result.deadlines,
    )
    if getattr(result, "dry_run", False):
        doc.update(dry_run=True, audit=result.audit)
    return doc


def log_view(zone_name: str, items) -> dict:
    """`corridor log --format json`: the audit trail's entries (corridor.store.audit `Entry`),
    newest first, with the reader's zone."""
    return dict(
        timezone=zone_name,
        items=[
            dict(
                at=e.at,
                by=e.by,
                via=e.via,
                source=e.source,
                action=e.action,
                entity=e.entity,
                key=e.key,
                crossings=e.crossings,
                changes=[dict(field=f, old=a, new=b) for f, a, b in e.fields],
                old=e.old,
                new=e.new,
            )
            for e in items
        ],
    )


# ---------------------------------------------------------------- planned movements


def plan_list_view(rows: list[dict]) -> dict:
    """`corridor plan list --format json` (rows: corridor.services.plans `plan_rows`)."""
    return dict(items=rows)


def plan_check_view(as_of: date, at: datetime, zone_name: str, days: int, rows: list[dict]) -> dict:
    """`corridor plan check --format json`: the instant asked about, the reader's zone, the
    window, and each movement's verdict (rows: corridor.present.plans `verdict_rows`)."""
    payload = dict(as_of=as_of, at=at, timezone=zone_name, within_days=days)
    return dict(payload, items=rows)


def report_document(
    *, as_of: object, at: object, known_at: object, zone: str, **rest: object
) -> dict:
    """The JSON contract's top level for a report (README, "JSON output"): when it was asked,
    as known when, and in whose zone (`timezone` is kept beside `reader_timezone`)."""
    return dict(as_of=as_of, at=at, known_at=known_at, timezone=zone, reader_timezone=zone, **rest)
