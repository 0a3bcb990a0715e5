"""The commands that record instruments and what becomes of them: add, renew, review, draft.

Registered on the main app by corridor.cli.main.register_commands(), which imports this module
unless the command line is a hot read command (upcoming, status). Each command parses its
options (corridor.cli.instrument_options, corridor.cli.writing), calls one service
(corridor.services.edit) through the unit of work (corridor.cli.writing.write), and shows the
result (corridor.cli.writing.report); errors are raised as corridor.core.errors.*Error and
turned into `Error: …` by corridor.cli.main.run(). The other editing commands are in
corridor.cli.commands.crossings_edit (crossing add, crossing alias) and
corridor.cli.commands.correct (correct, remove).
"""

from typing import Annotated

import typer

from corridor.cli import clock, writing
from corridor.cli.app import app
from corridor.cli.complete import complete_symbol
from corridor.cli.instrument_options import (
    AltUntilOpt,
    AuthorityZoneOpt,
    AutoRenewOpt,
    ConditionOpt,
    CoversOpt,
    ExtensionOpt,
    ForOpt,
    FromOpt,
    MaxRenewalsOpt,
    NoticeOpt,
    OldTimezoneOpt,
    PartiesOpt,
    RenewUntilOpt,
    ReportOpt,
    ReviewOpt,
    SignedInOpt,
    SourceUrlOpt,
    StartOpt,
    StatedOpt,
    TitleOpt,
    UntilOpt,
    VoteOpt,
    parties,
    reports,
    term_spec,
)
from corridor.cli.options import (
    ByOpt,
    DbOpt,
    DryRunOpt,
    NoteOpt,
    OldNotesOpt,
    Out,
    OutOpt,
    SourceOpt,
    YesOpt,
)
from corridor.cli.writing import date_of, fact_of, names_of
from corridor.core.errors import UsageError
from corridor.core.vocab import EventKind, InstrumentKind, Relation


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
    kind: Annotated[
        InstrumentKind, typer.Option("--kind", help="What it is.")
    ] = InstrumentKind.resolution,
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
    stated: StatedOpt = None,
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
    source_url: SourceUrlOpt = None,
    title: TitleOpt = None,
    vote: VoteOpt = None,
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
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.edit import NewInstrument, add_instrument

    spec = NewInstrument(
        symbol=symbol.strip(),
        adopted=fact_of(adopted, "--adopted")[0],
        adopted_at=fact_of(adopted, "--adopted")[1],
        recorded_at=clock.now_utc(),
        crossings=names_of(crossing),
        kind=kind.value,
        authority=authority,
        timezone=authority_zone or old_timezone,
        term=term_spec(
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
        reports=reports(report),
        parties=parties(party),
        signed_in=signed_in,
    )
    if spec.adopted is None and not unconfirmed:
        raise UsageError(
            "give the adoption or announcement date with --adopted DATE",
            "if it is not known, say why with --unconfirmed TEXT and give --start",
        )
    change = writing.change(by, "add", source_url or source)
    writing.report(
        writing.write(db, change, lambda conn, ch: add_instrument(conn, spec, ch), dry_run=dry_run),
        fmt,
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
    stated: StatedOpt = None,
    relation: Annotated[
        Relation, typer.Option("--relation", help="renews, confirms, or replaces.")
    ] = Relation.renews,
    report: ReportOpt = None,
    source: SourceOpt = None,
    source_url: SourceUrlOpt = None,
    title: TitleOpt = None,
    vote: VoteOpt = None,
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
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.edit import NewInstrument
    from corridor.services.edit import renew as run

    spec = NewInstrument(
        symbol=symbol.strip(),
        adopted=fact_of(adopted, "--adopted")[0],
        adopted_at=fact_of(adopted, "--adopted")[1],
        recorded_at=clock.now_utc(),
        term=term_spec(until, for_, from_, start, extension, review, condition, stated),
        title=title,
        vote=vote,
        source=source,
        source_url=source_url,
        notes=note or old_notes,
        relation=relation.value,
        reports=reports(report),
        parties=parties(party),
    )
    drops, adds = names_of(drop), names_of(add_)
    change = writing.change(by, "renew", source_url or source)
    result = writing.write(
        db, change, lambda conn, ch: run(conn, previous, spec, ch, drops, adds), dry_run=dry_run
    )
    writing.report(result, fmt)


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
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.decisions import record_review

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
    day, (decided, decided_at) = date_of(review_date, "DATE"), fact_of(on, "--on")
    if chosen[0] != "pending" and decided is None:
        raise UsageError("give the date it was decided with --on DATE")
    change = writing.change(by, "review", source)
    result = writing.write(
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
    writing.report(result, fmt)


# ---------------------------------------------------------------- drafts


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
    kind: Annotated[EventKind, typer.Option("--kind", help="vetoed, failed or other.")],
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
    # lazy: the services import sqlalchemy; --help and completion import this module
    from corridor.services.decisions import add_draft

    when, at = fact_of(day, "DATE")
    names = names_of(crossing)
    change = writing.change(by, "draft", source)
    now = clock.now_utc()
    result = writing.write(
        db,
        change,
        lambda conn, ch: add_draft(
            conn, when, kind.value, title, names, ch, vote, source, note, at=at, recorded_at=now
        ),
        dry_run=dry_run,
    )
    writing.report(result, fmt)


# The other editing commands register here, after these: Typer lists commands in the order they
# are registered, and `corridor --help` lists add, renew, review, draft, then correct and remove.
from corridor.cli.commands import correct, crossings_edit  # noqa: E402, F401, I001
