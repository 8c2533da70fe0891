"""The welcome (spec §13): one private message to each person who joins the Discord server or the
Matrix main room, at a waking hour in the organisation's zone (a newcomer has not set their own).

Once per person, ever: `people.welcomed_at` is set when it is queued, so a second join (they left
and came back, the platform sent the event twice) is not welcomed again. Not for someone who has
already signed up; and a welcome still waiting when they sign up is dropped, since they found
their way without it. The adapters never report the bot's own joins.
"""

from __future__ import annotations

from bot.areas.signatures import queries as store
from bot.areas.signatures import words
from bot.core.context import Context
from bot.ids import PersonId
from bot.scheduling.job import Relevance
from bot.storage.db import Tx


async def welcome_newcomer(ctx: Context) -> None:
    settings = ctx.config.welcome
    person = ctx.speaker
    if not settings.enabled or person.signed_up or not await store.mark_welcomed(ctx.tx, person.id, ctx.ts):
        return
    await ctx.notify(
        person.id,
        words.welcome(ctx.config.organisation.name, settings.text),
        key=f"welcome:p{person.id}",
        kind="welcome",
        subject=f"welcome:{person.id}",
    )


async def _still_needed(tx: Tx, person_id: int, recipient: PersonId | None) -> bool:
    return not await store.signed_up(tx, PersonId(person_id))


RELEVANCE = (Relevance("welcome", _still_needed),)
