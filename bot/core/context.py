"""What a handler gets: the open transaction, the speaker, the time, and ways to reach others."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import to_ts
from bot.config import Config
from bot.core.commands import Registry
from bot.core.messages import Button, Incoming, Role
from bot.core.text import PersonId, Rich, to_json
from bot.features.timing import next_send_time
from bot.storage import audit, outbox
from bot.storage import people as people_store
from bot.storage.db import Tx
from bot.storage.people import Person


def encode_body(text: Rich, buttons: Sequence[Button] = ()) -> str:
    """An outbox message body: rich text and buttons, as JSON that outlives the process."""
    return json.dumps(
        {"text": to_json(text), "buttons": [[b.label, b.command, b.style] for b in buttons]},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def announce_targets(config: Config) -> list[str]:
    """Public channels for announcements, as `platform:channel`."""
    targets = []
    if config.discord.announce_channel:
        targets.append(f"discord:{config.discord.announce_channel}")
    return targets


@dataclass
class Context:
    """One command's world. `now` is fixed for the whole command so its effects agree."""

    tx: Tx
    now: datetime
    config: Config
    registry: Registry
    incoming: Incoming
    speaker: Person
    role: Role
    zone: ZoneInfo
    audited: bool = False

    @property
    def ts(self) -> int:
        return to_ts(self.now)

    async def notify(
        self,
        person_id: PersonId,
        text: Rich,
        *,
        key: str,
        kind: str,
        buttons: Sequence[Button] = (),
        at: datetime | None = None,
        bundle: bool = False,
        subject: str | None = None,
    ) -> bool:
        """Queue a private message to someone, sent at their next waking moment.

        The key makes it unique: queuing the same key twice sends once.
        """
        person = await people_store.get(self.tx, person_id)
        not_before = next_send_time(person, self.config, at or self.now)
        return await outbox.enqueue(
            self.tx,
            key=key,
            person_id=person_id,
            channel=None,
            kind=kind,
            body=encode_body(text, buttons),
            not_before=not_before,
            bundle=bundle,
            now=self.ts,
            subject=subject,
        )

    async def notify_people(
        self,
        recipients: Sequence[Person],
        text: Rich,
        *,
        key_prefix: str,
        kind: str,
        buttons: Sequence[Button] = (),
        subject: str | None = None,
    ) -> None:
        """The same private message to many people, each at their own waking moment."""
        body = encode_body(text, buttons)
        # When each may hear it depends only on their zone and quiet hours, which most people
        # share: worked out once per combination, not once per person (2,000 for a popular skill).
        sending: dict[tuple[str | None, int | None, int | None], int] = {}
        rows: list[dict[str, object]] = []
        for person in recipients:
            habits = (person.tz, person.quiet_start, person.quiet_end)
            if habits not in sending:
                sending[habits] = next_send_time(person, self.config, self.now)
            rows.append(
                {
                    "key": f"{key_prefix}:p{person.id}",
                    "person_id": person.id,
                    "channel": None,
                    "kind": kind,
                    "body": body,
                    "not_before": sending[habits],
                    "bundle": False,
                    "subject": subject,
                }
            )
        await outbox.enqueue_many(self.tx, rows, self.ts)

    async def announce(self, text: Rich, *, key: str, kind: str, buttons: Sequence[Button] = ()) -> None:
        """Post publicly in every channel the config names for announcements (none by default)."""
        for target in announce_targets(self.config):
            await outbox.enqueue(
                self.tx,
                key=f"{key}:{target}",
                person_id=None,
                channel=target,
                kind=kind,
                body=encode_body(text, buttons),
                not_before=self.ts,
                bundle=False,
                now=self.ts,
            )

    async def audit(self, action: str, subject: str, detail: str = "", *, actor: PersonId | None = None) -> None:
        """Record a privileged action; `actor` when the speaker's own record changed (a link, a forget)."""
        self.audited = True
        await audit.record(self.tx, actor if actor is not None else self.speaker.id, action, subject, detail, self.ts)
