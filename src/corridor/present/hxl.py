"""HXL hashtags for the CSV outputs (`--format csv --hxl`): the row under the header that lets
a file go straight to HDX or a partner's HXL tools. The mapping is documented in the README
("Calendars, timeline, HTML report and HXL"); keep the two in step.

Written by hand: the hashtag row is one line of text, and libhxl is heavy to import.
Standard hashtags where they fit (#loc, #country, #date, #status, #description, #meta,
#indicator); attributes are lower-case words.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

# Columns that --hxl adds to every CSV, after the usual ones: what HXL users join on.
EXTRA = {
    "country_1": "#country+code",  # the two sides of the crossing (ISO 3166-1 alpha-2)
    "country_2": "#country+code",
    "source": "#meta+source",
    "source_url": "#meta+url",
}

STATUS = {
    "crossing": "#loc+name",
    "authorized": "#status+authorized",
    "state": "#status",
    "until": "#date+end",
    "days_left": "#indicator+days_left+num",
    "instruments": "#meta+instrument",
    "lapsed_since": "#date+start+lapse",
    "note": "#description",
    "slug": "#loc+code",
    **EXTRA,
}

UPCOMING = {
    "date": "#date+due",
    "days_left": "#indicator+days_left+num",
    "kind": "#meta+kind",
    "crossings": "#loc+name",
    "instrument": "#meta+instrument",
    "due_local": "#date+due+utc",  # the deadline's instant, in UTC (see hxl_dates)
    "note": "#description",
    "crossing_slugs": "#loc+code",
    "uid": "#meta+id",
    **EXTRA,
}

EXPORT = {
    "date": "#date+due",
    "kind": "#meta+kind",
    "crossing": "#loc+name",
    "crossing_slug": "#loc+code",
    "instrument": "#meta+instrument",
    "authority_timezone": "#meta+timezone",
    "due_at": "#date+due+utc",
    "known_from": "#date+known",
    "void_from": "#date+void",
    "conditional": "#status+conditional",
    "note": "#description",
    "uid": "#meta+id",
    **EXTRA,
}

TAGS = {"status": STATUS, "upcoming": UPCOMING, "export": EXPORT}


def hxl_columns(table: str, columns: list[str]) -> list[str]:
    """The CSV's columns with --hxl: the usual ones, then the ones HXL users join on."""
    extra = [c for c in ("slug", "crossing_slugs", "uid") if c in TAGS[table]]
    return columns + [c for c in extra if c not in columns] + list(EXTRA)


def enrich(rows: list[dict], slug_key: str, instrument_key: str, sides: dict, facts: dict):
    """Fill the EXTRA columns from the crossings' sides and the instruments' sources."""
    for row in rows:
        slugs = row.get(slug_key)
        slugs = slugs if isinstance(slugs, list) else [slugs]
        countries: list[str] = []
        for slug in slugs:
            side = sides.get(slug)
            for code in side.countries if side else ():
                if code not in countries:
                    countries.append(code)
        # One code per cell: the first side, then the other side(s) of every crossing.
        row["country_1"] = countries[0] if countries else None
        row["country_2"] = "; ".join(countries[1:]) or None
        symbols = row.get(instrument_key)
        symbols = symbols if isinstance(symbols, list) else [symbols]
        found = [facts[s] for s in symbols if s in facts]
        row["source"] = "; ".join(dict.fromkeys(f.source for f in found if f.source)) or None
        row["source_url"] = (
            "; ".join(dict.fromkeys(f.source_url for f in found if f.source_url)) or None
        )
    return rows


def one_per_cell(table: str, rows: list[dict]) -> list[dict]:
    """One value per cell, as HXL tools expect (`with_rows('#loc+name=Bab al-Salam')` finds
    the row): `upcoming` gets a row per crossing of each deadline, `status` a row per
    instrument in force (one row when there is none). `export` already has one per crossing."""
    split = {"upcoming": ("crossings", "crossing_slugs"), "status": ("instruments",)}.get(table)
    if not split:
        return rows
    result = []
    for row in rows:
        lists = [row.get(key) for key in split]
        if not isinstance(lists[0], list) or len(lists[0]) < 1:
            result.append({**row, **{k: None for k in split if isinstance(row.get(k), list)}})
            continue
        for n in range(len(lists[0])):
            one = dict(row)
            for key, values in zip(split, lists, strict=True):
                one[key] = values[n] if isinstance(values, list) and n < len(values) else values
            result.append(one)
    return result


def hxl_dates(table: str, rows: list[dict]) -> list[dict]:
    """Every #date cell in a form libhxl's `clean_data(date=...)` keeps on the same day: a date
    as `2023-07-10`, an instant as `2023-07-11 03:59:59` in UTC (the SQL form it reads as
    year-month-day; ISO 8601 with a `T` or a zone goes to a day-first parser that swaps the
    month and the day). The instant's zone is UTC, named by the hashtag's +utc."""
    tags = TAGS[table]
    columns = [c for c, tag in tags.items() if tag.startswith("#date")]
    for row in rows:
        for c in columns:
            value = row.get(c)
            if isinstance(value, str) and "T" in value:
                value = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if isinstance(value, datetime):
                value = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
            elif isinstance(value, date):
                value = value.isoformat()
            row[c] = value
    return rows
