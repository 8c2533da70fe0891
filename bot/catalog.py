"""The areas of the bot, composed: one registry of commands, the sweep's jobs, the deliverer's
relevance checks and views, and the catalog handlers consult (`mine`, `snooze`, `help`).

The order of `AREAS` is the order of commands within a help section, of the jobs in a sweep, and
of what `snooze` lists.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.areas import (
    accounts,
    announcements,
    asks,
    checkins,
    contacts,
    dashboard,
    events,
    help,
    intros,
    leads,
    network,
    pairing,
    people,
    resources,
    signatures,
    todo,
)
from bot.areas.area import Area
from bot.core.commands import Registry
from bot.core.context import Catalog, Context, DetailSource
from bot.scheduling.job import DeliveryRule, Job, Relevance, View

AREAS: tuple[Area, ...] = (
    people.AREA,
    accounts.AREA,
    contacts.AREA,
    asks.AREA,
    todo.AREA,
    intros.AREA,
    network.AREA,
    pairing.AREA,
    checkins.AREA,
    leads.AREA,
    signatures.AREA,
    announcements.AREA,
    resources.AREA,
    events.AREA,
    dashboard.AREA,
    help.AREA,
)

REGISTRY = Registry[Context](command for area in AREAS for command in area.commands)


def catalog(areas: Sequence[Area] = AREAS) -> Catalog:
    """What handlers may ask about the bot as a whole."""
    return Catalog(
        registry=REGISTRY if areas is AREAS else Registry[Context](c for area in areas for c in area.commands),
        todo=tuple(source for area in areas for source in area.todo),
        offers=tuple(source for area in areas for source in area.offers),
        snoozes={kind.prefix: kind for area in areas for kind in area.snoozes},
        zone_changed=tuple(hook for area in areas for hook in area.zone_changed),
        plain=tuple(handler for area in areas for handler in area.plain),
        leftover=tuple(handler for area in areas for handler in area.leftover),
        joined=tuple(hook for area in areas for hook in area.joined),
        details=_details(areas),
        common_ground=tuple(hook for area in areas for hook in area.common_ground),
        outlasting=frozenset(rule.kind for rule in delivery_rules(areas) if rule.outlives_cause),
    )


def _details(areas: Sequence[Area]) -> dict[str, tuple[DetailSource, ...]]:
    found: dict[str, tuple[DetailSource, ...]] = {}
    for area in areas:
        for kind, sources in area.details.items():
            found[kind] = (*found.get(kind, ()), *sources)
    return found


def jobs(areas: Sequence[Area] = AREAS) -> list[Job]:
    """Every scheduled job, in area order: an area's own jobs (made with the catalog when they
    need it), then its reminders."""
    whole = catalog(areas)
    return [
        job if isinstance(job, Job) else job(whole)
        for area in areas
        for job in (*area.jobs, *(reminder.job() for reminder in area.reminders))
    ]


def relevance(areas: Sequence[Area] = AREAS) -> list[Relevance]:
    return [check for area in areas for check in area.relevance]


def views(areas: Sequence[Area] = AREAS) -> list[View]:
    return [view for area in areas for view in area.views]


def delivery_rules(areas: Sequence[Area] = AREAS) -> list[DeliveryRule]:
    return [rule for area in areas for rule in area.delivery]
