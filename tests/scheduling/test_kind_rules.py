"""Delivery rules an area declares for its kinds of message (`DeliveryRule`): a kind that may wake
is sent inside quiet hours; a bundled kind not held by the one bundle a day joins a bundle due
with it, never waits for the next day, and a bundle of only such messages is not the day's."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.core.notices import to_person
from bot.core.text import fmt, plain_text
from bot.scheduling.deliver import Deliverer
from bot.scheduling.job import DeliveryRule
from bot.storage import outbox, persons
from tests.console_bot import ConsoleBot

RULES = (DeliveryRule("test.wakes", wakes=True), DeliveryRule("test.any_time", once_a_day=False))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def _deliverer(bot: ConsoleBot) -> tuple[Deliverer, list[tuple[datetime, str, str]]]:
    """A deliverer with the test rules, and what it sent: (when, key, text)."""
    await bot.say("alice", "!profile tz:America/Chicago")
    deliverer = Deliverer(bot.app.db, bot.clock, bot.app.config, rules=RULES)
    sent: list[tuple[datetime, str, str]] = []

    class Courier:
        platform = "console"

        async def deliver(self, delivery) -> None:  # type: ignore[no-untyped-def]
            sent.append((bot.clock.now(), delivery.key, plain_text(delivery.message.text)))

    deliverer.attach(Courier())
    return deliverer, sent


async def _queue(bot: ConsoleBot, kind: str, key: str, *, bundle: bool = True) -> None:
    """A message of `kind` to alice, due now (the deliverer decides about quiet hours)."""
    async with bot.app.db.transaction() as tx:
        alice = await persons.by_identity(tx, "console", "alice")
        assert alice is not None
        now = bot.clock.now()
        message = to_person(alice.id, alice, fmt(key), key=key, kind=kind, at=now, config=bot.app.config,
                            bundle=bundle, send_at=int(now.timestamp()))  # fmt: skip
        await outbox.queue(tx, [message], int(now.timestamp()))


async def test_a_kind_that_may_wake_is_sent_inside_quiet_hours_and_others_wait(bot: ConsoleBot) -> None:
    deliverer, sent = await _deliverer(bot)
    bot.clock.set(at("2026-11-24T08:00"))  # 02:00 in Chicago
    await _queue(bot, "test.wakes", "urgent", bundle=False)
    await _queue(bot, "test.ordinary", "ordinary", bundle=False)
    await deliverer.deliver_due()
    assert [(moment, key) for moment, key, _ in sent] == [(at("2026-11-24T08:00"), "urgent")]
    bot.clock.set(at("2026-11-24T15:00"))  # 09:00 in Chicago
    await deliverer.deliver_due()
    assert [key for _, key, _ in sent] == ["urgent", "ordinary"]
    assert deliverer.rule("test.unknown") == DeliveryRule("test.unknown")  # undeclared: the defaults


async def test_rows_due_together_share_one_bundle_whatever_their_rules(bot: ConsoleBot) -> None:
    deliverer, sent = await _deliverer(bot)
    bot.clock.set(at("2026-11-24T16:00"))
    await _queue(bot, "nudge.test", "a nudge")
    await _queue(bot, "test.any_time", "an event reminder")
    await deliverer.deliver_due()
    assert len(sent) == 1
    assert sent[0][1] == "nudges:p1:2026-11-24"  # the day's bundle: it holds a nudge
    assert "a nudge" in sent[0][2] and "an event reminder" in sent[0][2]


async def test_after_the_days_bundle_a_kind_not_held_by_it_still_goes_that_day(bot: ConsoleBot) -> None:
    deliverer, sent = await _deliverer(bot)
    bot.clock.set(at("2026-11-24T16:00"))
    await _queue(bot, "nudge.test", "morning nudge")
    await deliverer.deliver_due()
    bot.clock.set(at("2026-11-24T19:00"))
    await _queue(bot, "nudge.test", "second nudge")
    await _queue(bot, "test.any_time", "event reminder")
    await deliverer.deliver_due()
    assert [(moment, text) for moment, _, text in sent] == [
        (at("2026-11-24T16:00"), "morning nudge"),
        (at("2026-11-24T19:00"), "event reminder"),
    ]
    assert sent[1][1] == "nudges:p1:2026-11-24:event reminder"  # a bundle of its own, with its own key
    bot.clock.set(at("2026-11-25T15:00"))  # the next morning
    await deliverer.deliver_due()
    assert sent[2][2] == "second nudge"


async def test_a_bundle_of_only_such_kinds_does_not_use_up_the_days_bundle(bot: ConsoleBot) -> None:
    deliverer, sent = await _deliverer(bot)
    bot.clock.set(at("2026-11-24T15:00"))
    await _queue(bot, "test.any_time", "event reminder")
    await deliverer.deliver_due()
    bot.clock.set(at("2026-11-24T16:00"))
    await _queue(bot, "nudge.test", "nudge")
    await deliverer.deliver_due()
    assert [(moment, key) for moment, key, _ in sent] == [
        (at("2026-11-24T15:00"), "nudges:p1:2026-11-24:event reminder"),
        (at("2026-11-24T16:00"), "nudges:p1:2026-11-24"),
    ]


async def test_the_events_area_declares_its_reminders_not_nudges_and_the_hour_before_may_wake(
    bot: ConsoleBot,
) -> None:
    rule = bot.app.deliverer.rule
    assert rule("event.hour") == DeliveryRule("event.hour", wakes=True, once_a_day=False, despite_pause=True)
    assert rule("event.day") == DeliveryRule("event.day", once_a_day=False, despite_pause=True)
    assert rule("nudge.claim") == DeliveryRule("nudge.claim")
