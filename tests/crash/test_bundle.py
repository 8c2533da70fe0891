"""A kill while a person's bundle of reminders is being sent, restarted later the same evening
(inside her quiet hours) or the next morning.

At T1 alice has several reminders due (a follow-up, two stale claims, an intro waiting for her,
events): one message, `nudges:p<alice>:2026-11-30`. Killed before it reaches the platform, or
after but before it is marked sent, the bot must send it once, under the same key, with nothing
that still matters left out, never in her quiet hours, and still give her at most one bundle a
day: the one due on Tuesday afternoon (ask 3 is due on Wednesday) waits for Wednesday if the
resent bundle went out on Tuesday.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crash.conftest import References
from tests.crash.harness import Bot
from tests.crash.ledger import assert_kept, items, outcome
from tests.crash.scenario import timeline


@pytest.fixture(scope="module")
def bundle(base: Bot) -> str:
    alice = base.read(lambda conn: conn.execute("SELECT person_id FROM identities WHERE user_id = 'alice'").fetchone())
    return f"nudges:p{alice[0]}:2026-11-30"


@pytest.mark.parametrize("restart", ["hours", "next day"])
@pytest.mark.parametrize("point", ["deliver-before-send", "deliver-after-send"])
def test_a_bundle_killed_in_flight_arrives_once_whole_and_within_the_days_limit(
    point: str, restart: str, bundle: str, base: Bot, references: dict[str, References], tmp_path: Path
) -> None:
    refs = references[restart]
    sent = {entry.key: entry for entry in refs.uninterrupted.entries}
    assert len(items(sent[bundle].text)) >= 5  # the scenario's premise: a real bundle

    bot = base.clone(tmp_path / "bot")
    first, rest = timeline(restart, f"{point}:{bundle}")
    assert bot.run(first).paused == f"{point}:{bundle} (#1)"
    bot.run(rest)
    run = outcome(bot)

    assert_kept(run, refs.both)
    assert [entry.key for entry in run.entries].count(bundle) == 1
    arrived = next(entry for entry in run.entries if entry.key == bundle)
    still_due = {text for to, text in refs.down.texts if to == "alice"}
    assert set(items(sent[bundle].text)) & still_due <= set(items(arrived.text))


def test_the_ledger_reads_a_bundles_shared_ending_back_into_each_item() -> None:
    """Runs bundle differently (a kill splits one bundle in two), so the ledger counts items as
    each would read alone: the last sentence they shared, said once, is given back to each."""
    bundle = "A few reminders:\n• Call Pat. `followups` lists all.\n• Check-in.\nJust reply.\n\n`tip` helps."
    assert items(bundle) == ["Call Pat. `followups` lists all. `tip` helps.", "Check-in.\nJust reply. `tip` helps."]
    assert items("A few reminders:\n• One.\n• Two.") == ["One.", "Two."]
