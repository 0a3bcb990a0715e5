"""The commands that edit the record: add, renew, review, draft, crossings, correct, remove.

Registered on the main app by corridor.cli.main.register_commands(), which imports this module
unless the command line is a hot read command (upcoming, status). Like the rest of the CLI:
parse, call one service (corridor.services.edit, corridor.store.snapshot, corridor.store.audit),
render; errors are raised as corridor.core.errors.*Error and turned into `Error: …` by
corridor.cli.main.run(). Heavy modules (yaml, jsonschema, the services) are imported inside the
commands, so the read paths that import this module pay nothing for it.
"""

import sys
from enum import StrEnum
from typing import Annotated

import typer

from corridor.cli import clock
from corridor.cli.app import app, crossing_app
from corridor.cli.complete import complete_crossing, complete_symbol, complete_zone
from corridor.cli.options import DbOpt, named, open_writer
from corridor.cli.output import json_text, out, say, table_width
from corridor.core.errors import UsageError
from corridor.present.render import to_table, use_colour


class Out(StrEnum):
    table = "table"
    json = "json"


class ExportFormat(StrEnum):
    yaml = "yaml"
    json = "json"
    csv = "csv"
    ics = "ics"


# Choices for typer: the words of corridor.core.vocab (KINDS, EVENT_KINDS, RELATIONS,
# CROSSING_KINDS), declared here so that a type checker sees the members;
# tests/test_cli_edit.py keeps them in step with the vocabulary.
class Kind(StrEnum):
    resolution = "resolution"
    consent = "consent"
    agreement = "agreement"


class DraftKind(StrEnum):
    vetoed = "vetoed"
    failed = "failed"
    other = "other"


class Relation(StrEnum):
    renews = "renews"
    confirms = "confirms"
    replaces = "replaces"


class CrossingKind(StrEnum):
    land = "land"
    sea = "sea"
    air = "air"
    route = "route"


ByOpt = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="NAME",
        envvar="CORRIDOR_USER",
        show_envvar=False,
        help="Who makes the change, for the audit trail. Default: $CORRIDOR_USER, then your "
        "operating-system user name.",
    ),
]
YesOpt = Annotated[
    bool,
    typer.Option("--yes", "-y", help="Do not ask before overwriting or removing (for scripts)."),
]
# Every command that writes the record takes --dry-run and passes it to `_write`
# (tests/test_dry_run.py checks that every write command does).
DryRunOpt = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Show the change and the audit entries it would write, then write nothing.",
    ),
]
OutOpt = Annotated[
    Out,
    typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="table: a summary for people; json: for scripts.",
    ),
]
# The crossings a new record covers (not a filter: that is options.CrossingsOpt).
CoversOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--crossing",
        "-c",
        metavar="NAME",
        autocompletion=complete_crossing,
        callback=named,
        help="A crossing it covers (any name or spelling); repeat, or separate with commas.",
    ),
]
# One name for free text everywhere: --note. The old --notes still works, unlisted.
NoteOpt = Annotated[str | None, typer.Option("--note", metavar="TEXT", help="Free text.")]
OldNotesOpt = Annotated[str | None, typer.Option("--notes", hidden=True)]
# --tz is always the reader's zone; an instrument's authority has --authority-zone (the old
# --timezone still works, unlisted).
AuthorityZoneOpt = Annotated[
    str | None,
    typer.Option(
        "--authority-zone",
        metavar="ZONE",
        autocompletion=complete_zone,
        help="The authority's IANA zone, where its days end; needed only the first time an "
        "authority appears.",
    ),
]
OldTimezoneOpt = Annotated[str | None, typer.Option("--timezone", hidden=True)]
UntilOpt = Annotated[
    str | None,
    typer.Option("--until", metavar="DATE", help="Last covered day, inclusive (YYYY-MM-DD)."),
]
ForOpt = Annotated[
    str | None,
    typer.Option(
        "--for", metavar="TERM", help="The term as the text gives it: 6mo, 12mo, 180d, 90d."
    ),
]
FromOpt = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="WHEN",
        help="What --for counts from: adoption, start, previous (the renewed instrument's "
        "last day) or a DATE.",
    ),
]
StartOpt = Annotated[
    str | None,
    typer.Option(
        "--start",
        metavar="DATE",
        help="First covered day. Default: the adoption date; for a renewal, the day after "
        "the previous instrument ends (or the adoption date, after a gap).",
    ),
]
ExtensionOpt = Annotated[
    str | None,
    typer.Option(
        "--extension",
        metavar="TERM|DATE",
        help='The conditional "+6" of a "6+6" mandate: its term (6mo) or last day. Its review '
        "point is the end of the first period unless --review says otherwise.",
    ),
]
ReviewOpt = Annotated[
    str | None,
    typer.Option(
        "--review",
        metavar="DATE",
        help="A review point: a date when continuation depends on a condition.",
    ),
]
ConditionOpt = Annotated[
    str | None,
    typer.Option("--condition", metavar="TEXT", help="What the review point depends on."),
]
AutoRenewOpt = Annotated[
    str | None,
    typer.Option(
        "--auto-renew",
        metavar="TERM|same",
        help="It renews automatically unless a party objects: for TERM (60d, 3mo) each time, "
        "or `same` (its own term). Record objections with: corridor object.",
    ),
]
NoticeOpt = Annotated[
    str | None,
    typer.Option(
        "--notice",
        metavar="TERM",
        help="How long before the end an objection must be notified (30d). Gives a `notice` "
        "deadline in upcoming.",
    ),
]
MaxRenewalsOpt = Annotated[
    int | None,
    typer.Option(
        "--max-renewals",
        metavar="N",
        help="At most N automatic renewals, if the text says so (default: 10 are derived).",
    ),
]
RenewUntilOpt = Annotated[
    str | None,
    typer.Option("--renew-until", metavar="DATE", help="No automatic renewal runs past DATE."),
]
AltUntilOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--alt-until",
        metavar='"DATE: SOURCE"',
        help="A disputed end: another last day that a source gives, e.g. "
        '--alt-until "2025-06-30: Party B\'s announcement". Repeatable; reports use the earliest.',
    ),
]
ReportOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--report",
        metavar='"DATE: TEXT"',
        help='A report due date, e.g. --report "2022-12-10: SG special report". Repeatable.',
    ),
]
# Every party of a new instrument, "NAME:ROLE" (options.PartyOpt is the one party that acts).
PartiesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--party",
        metavar='"NAME:ROLE"',
        help="A party and its role (authority, signatory, host, guarantor, observer, "
        'depositary), e.g. --party "Government of Chad:host". Repeatable, in the text\'s order.',
    ),
]
SignedInOpt = Annotated[
    str | None,
    typer.Option(
        "--signed-in",
        metavar="PLACE",
        help="Where it was signed; when the text names no authority, --authority-zone is that "
        "place's zone.",
    ),
]


# ---------------------------------------------------------------- shared plumbing


def _engine(db: str | None, *, read_only: bool = False):
    from corridor.cli.config import load_config

    return open_writer(db, load_config(), read_only=read_only)


def _change(by: str | None, via: str, source: str | None):
    from corridor.store.audit import Change, os_user

    who = (by or "").strip() or os_user()
    return Change(clock.now_utc(), who, via, source)


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        raise UsageError(
            f"not confirmed: {question}",
            "nothing was changed; rerun with --yes to confirm (the input is not a terminal)",
        )
    from corridor.present.safe import safe

    return typer.confirm(safe(question), default=False, err=True)


def _write(db: str | None, change, service, *, yes: bool = False, dry_run: bool = False):
    """Run `service(conn, change)` in one write transaction: the write lock is taken before the
    service reads anything, so nothing it read can change before it writes. A change that
    overwrites or removes recorded facts is tried, rolled back, confirmed, then made afresh; on
    any error nothing is written. A lock conflict runs the transaction again, within
    $CORRIDOR_BUSY_TIMEOUT (corridor.store.retry). Returns the service's Result, or None when
    the user said no. With `dry_run` (--dry-run) the transaction is always rolled back, and the
    Result carries the audit entries it wrote (`_try`)."""
    from corridor.store.retry import retrying

    engine = _engine(db)
    if dry_run:  # DryRunOpt
        return retrying(lambda: _try(engine, change, service))

    def attempt():
        with engine.connect() as conn:
            tx = conn.begin()
            try:
                result = service(conn, change)
                if yes or not result.destructive:
                    tx.commit()
                    return result, True
            finally:
                if tx.is_active:
                    tx.rollback()
        return result, False

    result, done = retrying(attempt)
    if done:
        return result
    if not _confirm(result.question):
        say("Nothing changed.")
        return None

    def confirmed():
        with engine.begin() as conn:
            again = service(conn, change)
            if again.question != result.question:  # rolled back: not what was confirmed
                raise UsageError(
                    "the record changed while you were deciding: nothing was changed",
                    "run the command again to see what it would change now",
                )
            return again

    return retrying(confirmed)


def _try(engine, change, service):
    """Run `service(conn, change)` in its write transaction as `_write` does, keep the audit
    entries it wrote, and roll everything back: the result of --dry-run."""
    from corridor.store.audit import entries, last_id

    with engine.connect() as conn:
        tx = conn.begin()
        try:
            before = last_id(conn)
            result = service(conn, change)
            result.audit = [_audit_entry(e) for e in reversed(entries(conn, after_id=before))]
        finally:
            tx.rollback()
    result.dry_run = True
    return result


def _audit_entry(e) -> dict:
    return dict(
        at=e.at, by=e.by, via=e.via, source=e.source, action=e.action, entity=e.entity,
        key=e.key, crossings=e.crossings,
        fields=[dict(field=f, old=old, new=new) for f, old, new in e.fields],
    )  # fmt: skip


def _report(result, fmt: Out) -> None:
    if result is None:
        return
    dry = getattr(result, "dry_run", False)
    if fmt is Out.json:
        doc = dict(
            message=result.message,
            created=result.summary.created,
            updated=result.summary.updated,
            removed=result.summary.removed,
            unchanged=result.summary.unchanged,
            record=result.record,
            deadlines=result.deadlines,
        )
        if dry:
            doc.update(dry_run=True, audit=result.audit)
        out(json_text(doc))
        return
    if dry:
        say("Dry run: nothing was written. It would record:")
    say(result.message)
    if dry:
        _say_audit(result.audit)
    if result.deadlines:
        out(
            to_table(
                result.deadlines,
                [("date", "DATE"), ("kind", "KIND"), ("crossings", "CROSSINGS"), ("note", "NOTE")],
                colour=use_colour(sys.stdout),
                width=table_width(),
            )
        )


def _say_audit(audit: list[dict]) -> None:
    """The audit entries a dry run would write, one line each, on stdout (they are what was
    asked for); stored text is escaped."""
    from corridor.core.words import plural
    from corridor.present.safe import safe

    lines = [f"Audit trail: {plural(len(audit), 'entry', 'entries')} would be written"]
    for a in audit:
        where = f" [{', '.join(a['crossings'])}]" if a["crossings"] else ""
        lines.append(f"  {a['action']} {a['entity']} {a['key']}{where} by {a['by']} via {a['via']}")
        lines += [f"    {f['field']}: {f['old']!r} -> {f['new']!r}" for f in a["fields"]]
    out(safe("\n".join(lines)) + "\n")


def _date(text: str | None, option: str):
    from corridor.core.terms import parse_date

    return None if text is None else parse_date(text, what=option)


def _fact(text: str | None, option: str):
    """A fact's date, and its instant when given with a time (2020-07-11T15:05-04:00)."""
    from corridor.core.terms import parse_fact_time

    return (None, None) if text is None else parse_fact_time(text, what=option)


def _term(text: str | None, option: str):
    from corridor.core.terms import parse_term

    return None if text is None else parse_term(text, what=option)


def _names(values: list[str] | None) -> list[str]:
    from corridor.cli.options import split_values  # one rule, with its `\\,` escape

    return split_values(values)


def _term_spec(until, for_, from_, start, extension, review, condition, stated, shapes=(None,) * 5):
    from corridor.services.edit import TermSpec

    if from_ is not None and from_ not in ("start", "adoption", "previous"):
        from_ = str(_date(from_, "--from"))
    ext = None
    if extension is not None:
        ext = (
            _date(extension, "--extension")
            if extension[:1].isdigit() and "-" in extension
            else None
        )
        ext = ext or _term(extension, "--extension")
    return TermSpec(
        until=_date(until, "--until"),
        term=_term(for_, "--for"),
        term_from=from_,
        start=_date(start, "--start"),
        stated=stated,
        extension=ext,
        review=_date(review, "--review"),
        condition=condition,
        auto_renew=_auto_renew(*shapes[:4]),
        alt_ends=_alt_ends(shapes[4]),
    )


def _auto_renew(auto_renew, notice, max_renewals, renew_until):
    from corridor.record.format import AutoRenewRec

    if auto_renew is None:
        if notice is not None or max_renewals is not None or renew_until is not None:
            raise UsageError(
                "--notice, --max-renewals and --renew-until go with --auto-renew",
                "e.g. --auto-renew 60d --notice 30d",
            )
        return None
    if max_renewals is not None and not 0 <= max_renewals <= 100:
        raise UsageError("--max-renewals takes a whole number from 0 to 100")
    term = None if auto_renew.strip().lower() == "same" else _term(auto_renew, "--auto-renew")
    return AutoRenewRec(
        term, _term(notice, "--notice"), max_renewals, _date(renew_until, "--renew-until")
    )


def _alt_ends(values):
    from corridor.record.format import AltEndRec

    out = []
    for value in values or []:
        day = _date(value.strip()[:10], "--alt-until")
        source = value.strip()[10:].lstrip(" :").strip()
        if not source:
            raise UsageError(
                f'--alt-until "{value}" has no source',
                'e.g. --alt-until "2025-08-01: Party B\'s announcement of 2 May"',
            )
        out.append(AltEndRec(day, source))
    return out


def _reports(values: list[str] | None) -> list:
    out = []
    for value in values or []:
        day = _date(value.strip()[:10], "--report")
        text = value.strip()[10:].lstrip(" :").strip()
        if not text:
            raise UsageError(
                f'--report "{value}" has no description', 'e.g. --report "2022-12-10: SG report"'
            )
        out.append((day, text))
    return out


def _parties(values: list[str] | None) -> list[tuple[str, str]]:
    out = []
    for value in values or []:
        name, sep, role = value.rpartition(":")
        if not sep or not name.strip() or not role.strip():
            raise UsageError(
                f'--party "{value}" needs a name and a role',
                'e.g. --party "Government of Chad:host"',
            )
        out.append((name.strip(), role.strip().lower()))
    return out


def _target(symbol: str | None, crossing: str | None, draft: str | None):
    from corridor.services.corrections import Target

    given = [
        (kind, text)
        for kind, text in (("instrument", symbol), ("crossing", crossing), ("draft", draft))
        if text
    ]
    if len(given) != 1:
        raise UsageError(
            'name one record: an instrument SYMBOL, --crossing NAME, or --draft "DATE TITLE"'
        )
    kind, text = given[0]
    return Target(kind, text)


# ---------------------------------------------------------------- add, renew, review


SourceOpt = Annotated[
    str | None,
    typer.Option("--source", metavar="TEXT", help="Citation or link: why, or from where."),
]
InsteadCrossingOpt = Annotated[
    str | None, typer.Option("--crossing", metavar="TEXT", help="Act on this crossing instead.")
]
InsteadDraftOpt = Annotated[
    str | None,
    typer.Option("--draft", metavar='"DATE TITLE"', help="Act on this draft instead."),
]


@app.command("add")
def add(
    symbol: Annotated[
        str, typer.Argument(metavar="SYMBOL", help="The symbol, or a short title if it has none.")
    ],
    adopted: Annotated[
        str | None,
        typer.Option(
            "--adopted",
            metavar="WHEN",
            help="Adoption or announcement date (YYYY-MM-DD), or its instant "
            "(2020-07-11T15:05-04:00). Known from then; a bare date from the end of that day "
            "in the authority's zone, or from now if it is today there (docs/time.md).",
        ),
    ] = None,
    crossing: CoversOpt = None,
    kind: Annotated[Kind, typer.Option("--kind", help="What it is.")] = Kind.resolution,
    authority: Annotated[
        str | None,
        typer.Option(
            "--authority",
            metavar="TEXT",
            help="Who gave it. Default for a resolution: UN Security Council.",
        ),
    ] = None,
    authority_zone: AuthorityZoneOpt = None,
    old_timezone: OldTimezoneOpt = None,
    party: PartiesOpt = None,
    signed_in: SignedInOpt = None,
    until: UntilOpt = None,
    for_: ForOpt = None,
    from_: FromOpt = None,
    start: StartOpt = None,
    extension: ExtensionOpt = None,
    review: ReviewOpt = None,
    condition: ConditionOpt = None,
    stated: Annotated[
        str | None, typer.Option("--stated", metavar="TEXT", help="The term as the text words it.")
    ] = None,
    renews: Annotated[
        str | None,
        typer.Option(
            "--renews",
            metavar="SYMBOL",
            autocompletion=complete_symbol,
            help="The instrument it renews or confirms.",
        ),
    ] = None,
    relation: Annotated[
        Relation | None, typer.Option("--relation", help="How it follows --renews.")
    ] = None,
    report: ReportOpt = None,
    source: SourceOpt = None,
    source_url: Annotated[
        str | None, typer.Option("--source-url", metavar="TEXT", help="Link to the text.")
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="A longer title.")
    ] = None,
    vote: Annotated[str | None, typer.Option("--vote", metavar="TEXT", help="e.g. 12-0-3.")] = None,
    note: NoteOpt = None,
    old_notes: OldNotesOpt = None,
    unconfirmed: Annotated[
        str | None,
        typer.Option("--unconfirmed", metavar="TEXT", help="Which facts are unconfirmed, and why."),
    ] = None,
    auto_renew: AutoRenewOpt = None,
    notice: NoticeOpt = None,
    max_renewals: MaxRenewalsOpt = None,
    renew_until: RenewUntilOpt = None,
    alt_until: AltUntilOpt = None,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Record a new resolution, consent or agreement, and derive its deadlines at once.

    \b
    Examples:
      corridor add "S/RES/2165 (2014)" --adopted 2014-07-14 --for 180d \\
          -c "Bab al-Salam,Bab al-Hawa,Al Yarubiyah,Al-Ramtha"
      corridor add "Jordan consent: Jaber (2025-03-01)" --kind consent \\
          --authority "Government of Jordan" --authority-zone Asia/Amman \\
          --adopted 2025-03-01 --for 3mo -c jaber --dry-run
      corridor add "S/RES/2585 (2021)" --adopted 2021-07-09 --renews 2533 --for 6mo \\
          --extension 6mo --condition "the SG's substantive report" -c "bab al hawa"
      corridor add "Example agreement: Adré" --kind agreement --adopted 2025-02-01 \\
          --for 120d --authority "Government of Chad" --authority-zone Africa/Ndjamena \\
          --party "Government of Chad:host" --party "Government of Sudan:signatory" -c adre \\
          --dry-run
      corridor add "Example agreement (2025)" --kind agreement --authority "Parties A-D" \\
          --authority-zone Europe/Istanbul --adopted 2025-01-01 --for 120d -c "bab al hawa" \\
          --auto-renew 60d --notice 30d --dry-run
      corridor add "Example consent (2025)" --kind consent --authority "Government of Jordan" \\
          --authority-zone Asia/Amman --adopted 2025-05-01 --until 2025-06-30 -c "al-ramtha" \\
          --alt-until "2025-08-28: the consent as announced by the UN (120 days)" --dry-run

    The term is written the way texts write it: --until DATE, --for 6mo or --for 180d
    (from adoption, or --start / --from). The examples with invented facts use --dry-run: it
    shows the change and its audit entry, and writes nothing. Next: corridor upcoming.
    """
    from corridor.services.edit import NewInstrument, add_instrument

    spec = NewInstrument(
        symbol=symbol.strip(),
        adopted=_fact(adopted, "--adopted")[0],
        adopted_at=_fact(adopted, "--adopted")[1],
        recorded_at=clock.now_utc(),
        crossings=_names(crossing),
        kind=kind.value,
        authority=authority,
        timezone=authority_zone or old_timezone,
        term=_term_spec(
            until,
            for_,
            from_,
            start,
            extension,
            review,
            condition,
            stated,
            (auto_renew, notice, max_renewals, renew_until, alt_until),
        ),
        title=title,
        vote=vote,
        source=source,
        source_url=source_url,
        unconfirmed=unconfirmed,
        notes=note or old_notes,
        renews=renews,
        relation=relation.value if relation else None,
        reports=_reports(report),
        parties=_parties(party),
        signed_in=signed_in,
    )
    if spec.adopted is None and not unconfirmed:
        raise UsageError(
            "give the adoption or announcement date with --adopted DATE",
            "if it is not known, say why with --unconfirmed TEXT and give --start",
        )
    change = _change(by, "add", source_url or source)
    _report(
        _write(db, change, lambda conn, ch: add_instrument(conn, spec, ch), dry_run=dry_run), fmt
    )


@app.command("renew")
def renew(
    previous: Annotated[
        str,
        typer.Argument(
            metavar="PREVIOUS",
            autocompletion=complete_symbol,
            help='The instrument it renews: its symbol, or a unique part of it ("2585").',
        ),
    ],
    symbol: Annotated[
        str, typer.Option("--symbol", "-s", metavar="SYMBOL", help="The new instrument's symbol.")
    ],
    adopted: Annotated[
        str, typer.Option("--adopted", metavar="DATE", help="Adoption or announcement date.")
    ],
    until: UntilOpt = None,
    for_: ForOpt = None,
    from_: FromOpt = None,
    start: StartOpt = None,
    drop: Annotated[
        list[str] | None,
        typer.Option("--drop", metavar="NAME", help="A crossing the renewal no longer covers."),
    ] = None,
    add_: Annotated[
        list[str] | None,
        typer.Option("--add", metavar="NAME", help="A crossing the renewal adds."),
    ] = None,
    party: Annotated[
        list[str] | None,
        typer.Option(
            "--party",
            metavar='"NAME:ROLE"',
            help="Its parties, if they differ from the previous instrument's (whose parties it "
            "keeps otherwise). Repeatable.",
        ),
    ] = None,
    extension: ExtensionOpt = None,
    review: ReviewOpt = None,
    condition: ConditionOpt = None,
    stated: Annotated[
        str | None, typer.Option("--stated", metavar="TEXT", help="The term as the text words it.")
    ] = None,
    relation: Annotated[
        Relation, typer.Option("--relation", help="renews, confirms, or replaces.")
    ] = Relation.renews,
    report: ReportOpt = None,
    source: SourceOpt = None,
    source_url: Annotated[
        str | None, typer.Option("--source-url", metavar="TEXT", help="Link to the text.")
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="A longer title.")
    ] = None,
    vote: Annotated[str | None, typer.Option("--vote", metavar="TEXT", help="e.g. 12-0-3.")] = None,
    note: NoteOpt = None,
    old_notes: OldNotesOpt = None,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Record a renewal: copies the previous instrument's kind, authority, zone and scope.

    The term defaults to the previous one's, counted from its last day ("for a further six
    months"); the renewal starts the day after it, or on adoption after a gap.

    \b
    Examples:
      corridor renew "S/RES/2585 (2021)" --symbol "S/RES/2642 (2022)" --adopted 2022-07-12 \\
          --for 6mo --review 2023-01-10 --condition "a separate resolution" \\
          --report "2022-12-10: SG special report on humanitarian needs"
      corridor renew 2449 -s "S/RES/2504 (2020)" --adopted 2020-01-10 --for 6mo \\
          --drop "Al Yarubiyah" --drop "Al-Ramtha"

    Next: corridor upcoming, or corridor log to see the change.
    """
    from corridor.services.edit import NewInstrument
    from corridor.services.edit import renew as run

    spec = NewInstrument(
        symbol=symbol.strip(),
        adopted=_fact(adopted, "--adopted")[0],
        adopted_at=_fact(adopted, "--adopted")[1],
        recorded_at=clock.now_utc(),
        term=_term_spec(until, for_, from_, start, extension, review, condition, stated),
        title=title,
        vote=vote,
        source=source,
        source_url=source_url,
        notes=note or old_notes,
        relation=relation.value,
        reports=_reports(report),
        parties=_parties(party),
    )
    drops, adds = _names(drop), _names(add_)
    change = _change(by, "renew", source_url or source)
    result = _write(
        db, change, lambda conn, ch: run(conn, previous, spec, ch, drops, adds), dry_run=dry_run
    )
    _report(result, fmt)


@app.command("review")
def review(
    symbol: Annotated[
        str,
        typer.Argument(metavar="SYMBOL", autocompletion=complete_symbol, help="The instrument."),
    ],
    review_date: Annotated[str, typer.Argument(metavar="DATE", help="The review point's date.")],
    extended: Annotated[
        bool, typer.Option("--extended", help="The condition was met: the extension holds.")
    ] = False,
    not_extended: Annotated[
        bool, typer.Option("--not-extended", help="The extension does not take effect.")
    ] = False,
    pending: Annotated[
        bool, typer.Option("--pending", help="Undo: the outcome is not decided yet.")
    ] = False,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help="When it was decided: a date, or an instant (2022-01-10T10:00-05:00). Until "
            "it is known (the end of that day, unless a time is given) reports show it "
            "pending.",
        ),
    ] = None,
    decided_by: Annotated[
        str | None,
        typer.Option(
            "--decided-by", metavar="TEXT", help='What decided it, e.g. "S/RES/2672 (2023)".'
        ),
    ] = None,
    note: NoteOpt = None,
    source: SourceOpt = None,
    yes: YesOpt = False,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Record a review point's outcome: extended or not extended, and when it was decided.

    \b
    Examples:
      corridor review "S/RES/2585 (2021)" 2022-01-10 --extended --on 2022-01-10
      corridor review 2642 2023-01-10 --extended --on 2023-01-09 --decided-by "S/RES/2672 (2023)"

    Changing an outcome already recorded asks first (--yes skips). Next: corridor status.
    """
    from corridor.services.edit import record_review

    chosen = [
        name
        for name, flag in (
            ("extended", extended),
            ("not_extended", not_extended),
            ("pending", pending),
        )
        if flag
    ]
    if len(chosen) != 1:
        raise UsageError("give exactly one of --extended, --not-extended and --pending")
    if chosen[0] == "pending" and on:
        raise UsageError("a pending review has no decision date: drop --on")
    day, (decided, decided_at) = _date(review_date, "DATE"), _fact(on, "--on")
    if chosen[0] != "pending" and decided is None:
        raise UsageError("give the date it was decided with --on DATE")
    change = _change(by, "review", source)
    result = _write(
        db,
        change,
        lambda conn, ch: record_review(
            conn,
            symbol,
            day,
            chosen[0],
            decided,
            ch,
            decided_by,
            note,
            decided_at=decided_at,
            recorded_at=clock.now_utc(),
        ),
        yes=yes,
        dry_run=dry_run,
    )
    _report(result, fmt)


# ---------------------------------------------------------------- drafts and crossings


@app.command("draft")
def draft(
    day: Annotated[
        str,
        typer.Argument(
            metavar="DATE",
            help="The date of the vote, or its instant (2023-07-11T12:30-04:00); known from "
            "the end of that day in New York unless a time is given.",
        ),
    ],
    title: Annotated[str, typer.Argument(metavar="TITLE", help="Sponsors and what it proposed.")],
    kind: Annotated[DraftKind, typer.Option("--kind", help="vetoed, failed or other.")],
    crossing: CoversOpt = None,
    vote: Annotated[str | None, typer.Option("--vote", metavar="TEXT", help="e.g. 13-2-0.")] = None,
    source: SourceOpt = None,
    note: NoteOpt = None,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Record a failed or vetoed draft: staff read them to judge the next deadline's risk.

    \b
    Example:
      corridor draft 2023-07-11 "Brazil, Switzerland: Bab al-Hawa nine months" \\
          --kind vetoed --vote 13-1-1 -c "Bab al-Hawa"

    Next: corridor crossing show "Bab al-Hawa".
    """
    from corridor.services.edit import add_draft

    when, at = _fact(day, "DATE")
    names = _names(crossing)
    change = _change(by, "draft", source)
    now = clock.now_utc()
    result = _write(
        db,
        change,
        lambda conn, ch: add_draft(
            conn, when, kind.value, title, names, ch, vote, source, note, at=at, recorded_at=now
        ),
        dry_run=dry_run,
    )
    _report(result, fmt)


@crossing_app.command("add")
def crossing_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The name used in UN texts.")],
    countries: Annotated[
        str,
        typer.Option(
            "--countries",
            metavar="AA[,BB...]",
            help="ISO codes: the two sides of a border, the one country of a port or airport.",
        ),
    ],
    kind: Annotated[
        CrossingKind,
        typer.Option("--kind", help="land (a border), sea (a port or sea route), air, route."),
    ] = CrossingKind.land,
    slug: Annotated[
        str | None,
        typer.Option("--slug", metavar="SLUG", help="Key in files. Default: from the name."),
    ] = None,
    alias: Annotated[
        list[str] | None,
        typer.Option("--alias", metavar="NAME", help="Another name or spelling. Repeatable."),
    ] = None,
    lat: Annotated[float | None, typer.Option("--lat", help="Latitude.")] = None,
    lon: Annotated[float | None, typer.Option("--lon", help="Longitude.")] = None,
    note: NoteOpt = None,
    old_notes: OldNotesOpt = None,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Record a new crossing: a land border, a port, an airport or a route.

    \b
    Examples:
      corridor crossing add "Jaber" --countries SY,JO --alias Nassib --alias "جابر" --dry-run
      corridor crossing add "Port of Odesa" --kind sea --countries UA --dry-run

    Next: corridor add ... --crossing Jaber.
    """
    from corridor.services.edit import add_crossing

    codes = [c for c in countries.split(",") if c.strip()]
    aliases = [a for a in alias or [] if a.strip()]
    change = _change(by, "crossing add", None)
    note = note or old_notes
    result = _write(
        db,
        change,
        lambda conn, ch: add_crossing(
            conn, name, codes, ch, slug, aliases, lat, lon, note, kind.value
        ),
        dry_run=dry_run,
    )
    _report(result, fmt)


@crossing_app.command("alias")
def crossing_alias(
    crossing: Annotated[str, typer.Argument(metavar="CROSSING", help="Any name of the crossing.")],
    aliases: Annotated[list[str], typer.Argument(metavar="ALIAS...", help="Names to add.")],
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Add other names to a crossing: the other side's name, spellings, other scripts.

    \b
    Example:
      corridor crossing alias "Bab al-Hawa" "Bab al Hawa crossing" "باب الهوى" --dry-run
    """
    from corridor.services.edit import add_alias

    change = _change(by, "crossing alias", None)
    _report(
        _write(
            db, change, lambda conn, ch: add_alias(conn, crossing, aliases, ch), dry_run=dry_run
        ),
        fmt,
    )


# ---------------------------------------------------------------- correct and remove


@app.command("correct")
def correct(
    args: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[SYMBOL] FIELD=VALUE...",
            help="The instrument (unless --crossing or --draft), then the fields to change.",
        ),
    ] = None,
    crossing: InsteadCrossingOpt = None,
    draft: InsteadDraftOpt = None,
    source: SourceOpt = None,
    yes: YesOpt = False,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Correct recorded fields, validated like an import. Asks first (--yes skips).

    Fields are the record format's (docs/format.md). An empty value clears a field or removes
    a list item; an index one past the end adds one. For an instrument with one period,
    `until=` means `periods[0].until=`. Changing symbol, slug, date or title renames in place.

    \b
    Examples:
      corridor correct "S/RES/2642 (2022)" "source_url=https://undocs.org/S/RES/2642(2022)"
      corridor correct 2585 "periods[1].until=2022-07-10" --source "UN press release"
      corridor correct 2642 "reports[1].due=2023-06-10" "reports[1].description=SG report"
      corridor correct --crossing "bab al hawa" "notes=Reyhanlı side" --dry-run
      corridor correct --draft "2022-07-08 Ireland" vote=13-1-1
    """
    from corridor.services.corrections import correct as run

    args = list(args or [])
    symbol = None if (crossing or draft) else (args.pop(0) if args else None)
    if symbol and "=" in symbol and not args:
        raise UsageError("name the instrument first, then FIELD=VALUE")
    target = _target(symbol, crossing, draft)
    change = _change(by, "correct", source)
    _report(
        _write(db, change, lambda conn, ch: run(conn, target, args, ch), yes=yes, dry_run=dry_run),
        fmt,
    )


@app.command("remove")
def remove(
    symbol: Annotated[
        str | None,
        typer.Argument(
            metavar="[SYMBOL]", autocompletion=complete_symbol, help="The instrument to remove."
        ),
    ] = None,
    crossing: InsteadCrossingOpt = None,
    draft: InsteadDraftOpt = None,
    source: SourceOpt = None,
    yes: YesOpt = False,
    fmt: OutOpt = Out.table,
    by: ByOpt = None,
    dry_run: DryRunOpt = False,
    db: DbOpt = None,
) -> None:
    """Remove a record entered by mistake. Asks first (--yes skips); the audit trail keeps it.

    Refused while other records depend on it (an instrument that renews it, an instrument or
    draft that names a crossing).

    \b
    Examples:
      corridor remove "S/RES/9999 (2025)"
      corridor remove --crossing jaber --yes --dry-run
      corridor remove --draft "2023-07-11 Russia"
    """
    from corridor.services.corrections import remove as run

    target = _target(symbol, crossing, draft)
    change = _change(by, "remove", source)
    _report(
        _write(db, change, lambda conn, ch: run(conn, target, ch), yes=yes, dry_run=dry_run), fmt
    )


# ---------------------------------------------------------------- import, export, schema, log
