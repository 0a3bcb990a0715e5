"""The options that describe a new instrument (`corridor add`, `corridor renew`), as Typer
declares them, and what they parse to: its term as the text states it
(corridor.services.edit.TermSpec), automatic renewal, disputed ends, report due dates and
parties. Errors name the option (corridor.core.errors.UsageError)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from corridor.cli.complete import complete_crossing, complete_zone
from corridor.cli.options import named
from corridor.cli.writing import date_of, term_of
from corridor.core.errors import UsageError
from corridor.core.terms import Term

if TYPE_CHECKING:
    from corridor.services.edit import TermSpec

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
StatedOpt = Annotated[
    str | None, typer.Option("--stated", metavar="TEXT", help="The term as the text words it.")
]
SourceUrlOpt = Annotated[
    str | None, typer.Option("--source-url", metavar="TEXT", help="Link to the text.")
]
TitleOpt = Annotated[str | None, typer.Option("--title", metavar="TEXT", help="A longer title.")]
VoteOpt = Annotated[str | None, typer.Option("--vote", metavar="TEXT", help="e.g. 12-0-3.")]


def term_spec(
    until: str | None,
    for_: str | None,
    from_: str | None,
    start: str | None,
    extension: str | None,
    review: str | None,
    condition: str | None,
    stated: str | None,
    shapes: tuple = (None,) * 5,
) -> TermSpec:
    """The term options of `add` and `renew`; `shapes` are add's (--auto-renew, --notice,
    --max-renewals, --renew-until, --alt-until)."""
    # lazy: services.edit imports sqlalchemy; this module is imported by --help and completion
    from corridor.services.edit import TermSpec

    if from_ is not None and from_ not in ("start", "adoption", "previous"):
        from_ = str(date_of(from_, "--from"))
    ext: Term | date | None = None
    if extension is not None:
        ext = (
            date_of(extension, "--extension")
            if extension[:1].isdigit() and "-" in extension
            else None
        )
        ext = ext or term_of(extension, "--extension")
    return TermSpec(
        until=date_of(until, "--until"),
        term=term_of(for_, "--for"),
        term_from=from_,
        start=date_of(start, "--start"),
        stated=stated,
        extension=ext,
        review=date_of(review, "--review"),
        condition=condition,
        auto_renew=_auto_renew(*shapes[:4]),
        alt_ends=_alt_ends(shapes[4]),
    )


def _auto_renew(auto_renew, notice, max_renewals, renew_until):
    # lazy: services.edit imports sqlalchemy; this module is imported by --help and completion
    from corridor.services.edit import auto_renewal

    if auto_renew is None:
        if notice is not None or max_renewals is not None or renew_until is not None:
            raise UsageError(
                "--notice, --max-renewals and --renew-until go with --auto-renew",
                "e.g. --auto-renew 60d --notice 30d",
            )
        return None
    if max_renewals is not None and not 0 <= max_renewals <= 100:
        raise UsageError("--max-renewals takes a whole number from 0 to 100")
    term = None if auto_renew.strip().lower() == "same" else term_of(auto_renew, "--auto-renew")
    return auto_renewal(
        term, term_of(notice, "--notice"), max_renewals, date_of(renew_until, "--renew-until")
    )


def _alt_ends(values: list[str] | None) -> list:
    # lazy: services.edit imports sqlalchemy; this module is imported by --help and completion
    from corridor.services.edit import disputed_end

    out = []
    for value in values or []:
        day = date_of(value.strip()[:10], "--alt-until")
        source = value.strip()[10:].lstrip(" :").strip()
        if not source:
            raise UsageError(
                f'--alt-until "{value}" has no source',
                'e.g. --alt-until "2025-08-01: Party B\'s announcement of 2 May"',
            )
        out.append(disputed_end(day, source))
    return out


def reports(values: list[str] | None) -> list[tuple[date, str]]:
    """--report "DATE: TEXT", repeatable."""
    out = []
    for value in values or []:
        day = date_of(value.strip()[:10], "--report")
        text = value.strip()[10:].lstrip(" :").strip()
        if not text:
            raise UsageError(
                f'--report "{value}" has no description', 'e.g. --report "2022-12-10: SG report"'
            )
        out.append((day, text))
    return out


def parties(values: list[str] | None) -> list[tuple[str, str]]:
    """--party "NAME:ROLE", repeatable, in the text's order."""
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
