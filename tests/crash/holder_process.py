"""A bot process that wants one platform connection (`python -m tests.crash.holder_process URL`):
the real lease and `Holder`, with a stand-in platform that prints `holding` when it is started."""

from __future__ import annotations

import asyncio
import sys

from bot.app import App
from bot.clock import SystemClock
from bot.core.messages import Delivery
from bot.holding import Holder
from tests.console_bot import make_config


class StandIn:
    platform = "standin"

    async def start(self) -> None:
        print("holding", flush=True)

    async def stop(self) -> None:
        """Nothing to disconnect."""

    async def deliver(self, delivery: Delivery) -> None:
        """Nothing to send."""


async def main(url: str) -> None:
    app = await App.open(make_config(), SystemClock(), url)
    failed: asyncio.Future[BaseException | None] = asyncio.get_running_loop().create_future()
    holder = Holder(app, StandIn(), "standin")  # type: ignore[arg-type]
    await holder.start(failed)
    print("started", flush=True)
    error = await failed
    raise SystemExit(str(error))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
