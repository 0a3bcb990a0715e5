"""Views: the documented JSON contract (README, "JSON output"), built once from the services'
results. Every format (table, json, csv) renders these same rows."""

from __future__ import annotations


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
            record_ends=s.record_ends,
            note=s.note,
            renews_to=s.renews_to,
            objection_by=s.objection_by,
            end_disputed=bool(s.disputed_ends),
            disputed_ends=s.disputed_ends,
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
            renews_to=d.renews_to,
            objection_by=d.objection_by,
            end_disputed=bool(d.disputed_ends),
            disputed_ends=d.disputed_ends,
        )
        for d in items
    ]
