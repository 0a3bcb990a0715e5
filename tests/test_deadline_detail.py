"""DeadlineDetail (corridor.core.detail): the detail corridor.core.derive writes for a deadline
and the reports read as known at T. The stored JSON is unchanged: every detail derived from the
worked examples of docs/records.md reads back and is written again byte for byte."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

from corridor.core.detail import DeadlineDetail, DisputedEnd
from corridor.db.connect import Location, connect_reader

DOC = Path(__file__).resolve().parents[1] / "docs" / "records.md"

# An expiry that renews automatically unless a party objects; an objection known from
# 2025-03-10T21:00Z stops the renewal (the shape corridor.core.derive writes).
OBJECTED = json.dumps(
    {
        "changes": [
            {
                "at": "2025-03-10T21:00:00Z",
                "note": "ends: Party A objected on 2025-03-10; no automatic renewal",
                "objection": {"by": "Party A", "on": "2025-03-10"},
                "objection_by": None,
                "renews_to": None,
            }
        ],
        "objection_by": "2025-04-01",
        "renews_to": "2025-06-30",
    },
    sort_keys=True,
    ensure_ascii=False,
)


def test_a_change_counts_from_its_instant():
    detail = DeadlineDetail.from_json(OBJECTED)
    before = detail.as_known_at(datetime(2025, 3, 10, 20, 59, tzinfo=UTC))
    assert (before.renews_to_day, before.objection_by_day) == (date(2025, 6, 30), date(2025, 4, 1))
    assert before.note is None and before.objection is None and not before.empty
    after = detail.as_known_at(datetime(2025, 3, 10, 21, 0, tzinfo=UTC))
    assert (after.renews_to, after.objection_by) == (None, None)
    assert after.note == "ends: Party A objected on 2025-03-10; no automatic renewal"
    assert after.objection == {"by": "Party A", "on": "2025-03-10"}
    assert after.changes == ()


def test_only_changes_not_yet_known_is_nothing_to_say():
    text = json.dumps({"changes": [{"at": "2030-01-01T00:00:00Z", "note": "later"}]})
    assert DeadlineDetail.from_json(text).as_known_at(datetime(2029, 1, 1, tzinfo=UTC)).empty
    assert DeadlineDetail.from_json(None).empty


def test_the_json_form_is_kept_byte_for_byte():
    assert DeadlineDetail.from_json(OBJECTED).to_json() == OBJECTED
    with_unknown_key = json.dumps({"later_key": 1, "note": "x"}, sort_keys=True)
    assert DeadlineDetail.from_json(with_unknown_key).to_json() == with_unknown_key
    disputed = DeadlineDetail(
        disputed_ends=(DisputedEnd("2025-04-30", "B"), DisputedEnd("2025-06-29", "A"))
    )
    assert json.loads(disputed.to_json()) == {
        "disputed_ends": [
            {"source": "B", "until": "2025-04-30"},
            {"source": "A", "until": "2025-06-29"},
        ]
    }


def test_every_derived_detail_round_trips(empty_url, cli, tmp_path):
    text = DOC.read_text("utf-8")
    section = text[text.index("## Shapes beyond a plain period") :]
    for n, example in enumerate(re.findall(r"```yaml\n(.*?)```", section, re.S)):
        path = tmp_path / f"example{n}.yaml"
        path.write_text(example, encoding="utf-8")
        assert cli("import", str(path), "--db", empty_url, "--yes").code == 0
    with connect_reader(Location(empty_url, "test")) as conn:
        stored = [
            r.detail for r in conn.rows("SELECT detail FROM deadlines WHERE detail IS NOT NULL")
        ]
    found = [DeadlineDetail.from_json(s) for s in stored]
    assert any(d.changes for d in found) and any(d.disputed_ends for d in found)
    assert any(d.terminated for d in found) and any(d.renews_to for d in found)
    for text, detail in zip(stored, found, strict=True):
        assert detail.to_json() == text
