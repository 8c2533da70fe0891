"""Messages for later: the one way a private notice or a channel post becomes an outbox message.

A notice to a person is sent at their next waking moment (`core.timing`); its body is the rich
text and buttons encoded as JSON that outlives the process (`encode`/`decode`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.clock import to_ts
from bot.config import Config
from bot.core.messages import Button
from bot.core.text import Rich, from_json, to_json
from bot.core.timing import next_send_time
from bot.ids import PersonId
from bot.storage.outbox import OutboxMessage
from bot.storage.persons import Person


def encode(text: Rich, buttons: Sequence[Button] = ()) -> str:
    """An outbox message body: rich text and buttons, as JSON."""
    return json.dumps(
        {"text": to_json(text), "buttons": [[b.label, b.command, b.style] for b in buttons]},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode(body: str) -> tuple[Rich, tuple[Button, ...]]:
    data = json.loads(body)
    buttons = tuple(Button(label, command, style) for label, command, style in data.get("buttons", []))
    return from_json(data["text"]), buttons


def to_person(
    person_id: PersonId,
    person: Person | None,
    text: Rich,
    *,
    key: str,
    kind: str,
    at: datetime,
    config: Config,
    buttons: Sequence[Button] = (),
    bundle: bool = False,
    subject: str | None = None,
    send_at: int | None = None,
    caused_by: PersonId | None = None,
) -> OutboxMessage:
    """A private message to someone, sent at their first waking moment from `at` (or at
    `send_at`, already worked out, when many people share the same habits). `caused_by` is whose
    action it carries: told if it cannot be delivered, and it goes with them if they are forgotten."""
    not_before = send_at if send_at is not None else next_send_time(person, config, at)
    return OutboxMessage(key, kind, encode(text, buttons), not_before, person_id, None, bundle, subject, caused_by)


def to_people(
    people: Iterable[Person],
    text: Rich,
    *,
    key_prefix: str,
    kind: str,
    at: datetime,
    config: Config,
    buttons: Sequence[Button] = (),
    bundle: bool = False,
    subject: str | None = None,
    send_at: int | None = None,
    caused_by: PersonId | None = None,
) -> list[OutboxMessage]:
    """The same private message to many people (`key_prefix:p<id>` each), each at their own
    waking moment from `at` (or at `send_at`). Encoded once, and when each may hear it worked out
    once per zone and quiet hours, which most people share: an ask matching 2,000 volunteers
    spent half its Python on 2,000 encodings of one text."""
    body = encode(text, buttons)
    sending: dict[tuple[str | None, int | None, int | None], int] = {}
    messages = []
    for person in people:
        habits = (person.tz, person.quiet_start, person.quiet_end)  # all `next_send_time` reads
        when = sending.get(habits)
        if when is None:
            when = sending[habits] = send_at if send_at is not None else next_send_time(person, config, at)
        messages.append(
            OutboxMessage(f"{key_prefix}:p{person.id}", kind, body, when, person.id, None, bundle, subject, caused_by)
        )
    return messages


def to_channel(
    target: str,
    text: Rich,
    *,
    key: str,
    kind: str,
    at: datetime,
    buttons: Sequence[Button] = (),
    caused_by: PersonId | None = None,
) -> OutboxMessage:
    """A public post in a channel (`platform:name`), as soon as possible."""
    return OutboxMessage(key, kind, encode(text, buttons), to_ts(at), None, target, caused_by=caused_by)


def announce_targets(config: Config) -> list[str]:
    """Public channels for announcements, as `platform:channel`."""
    return [f"discord:{config.discord.announce_channel}"] if config.discord.announce_channel else []


def broadcast_targets(config: Config) -> list[str]:
    """Where a lead's announcement to the channels goes: Discord's announce channel and the
    Matrix main room; with neither configured (a console demo), the console's channel."""
    targets = announce_targets(config)
    if config.matrix.main_room:
        targets.append(f"matrix:{config.matrix.main_room}")
    return targets or [f"console:{config.console.channel}"]
