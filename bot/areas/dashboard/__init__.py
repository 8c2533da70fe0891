"""The leads' dashboard (spec §16): the `dashboard` command and its one-time links, browser
sessions, and what each page shows — the network as a graph, coverage as a heat map, the asks
board, follow-ups and check-ins — as tables the web (`bot/web`) renders and offers as CSV.

The web server is presentation only: it calls what this package exports, and holds no rules.
"""

from __future__ import annotations

from bot.areas.area import Area
from bot.areas.dashboard import access, addresses, graph, views
from bot.areas.dashboard.access import Refused, Viewer
from bot.areas.dashboard.addresses import Regions
from bot.areas.dashboard.commands import address, dashboard
from bot.areas.dashboard.queries import Filters, choices, prune
from bot.areas.dashboard.tables import Row, Someone, Table, When

AREA = Area("dashboard", commands=dashboard.commands)

__all__ = [
    "AREA", "Filters", "Refused", "Regions", "Row", "Someone", "Table", "Viewer", "When", "access", "address",
    "addresses", "choices", "graph", "prune", "views",
]  # fmt: skip
