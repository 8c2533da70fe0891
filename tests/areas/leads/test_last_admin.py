"""`role` never leaves the network without an admin: nobody could change roles after that."""

from __future__ import annotations

from bot.ids import Role
from tests.areas.accounts.test_accounts import say_on
from tests.console_bot import ConsoleBot, joined, make_config

ANA = ("matrix", "@ana:example.org", "Ana")
BEN = ("discord", "8", "Ben")
REFUSED = (
    "You're the only admin, and without one nobody can change roles, so I changed nothing. Next: make someone else "
    "an admin first with `role <member> admin`."
)


async def _ana(bot: ConsoleBot, text: str, role: Role | None = None) -> str:
    """Ana on Matrix; `role` what her power level grants (None: the room tells nothing)."""
    return await say_on(bot, *ANA, text, role=role)


async def test_the_only_admin_stepping_down_is_refused_and_stays_admin(bot: ConsoleBot) -> None:
    await _ana(bot, "!volunteer research", role=Role.ADMIN)
    for role in ("member", "lead"):
        assert REFUSED in await _ana(bot, f"!role @Ana {role}")
    audit = await _ana(bot, "!audit")  # still an admin: a member is told only admins may
    assert "Only admins" not in audit
    assert "made Ana a member" not in audit and "made Ana a lead" not in audit


async def test_the_consoles_own_user_as_the_only_admin_is_refused_too(bot: ConsoleBot) -> None:
    assert REFUSED in joined(await bot.feed("!role @you member"))
    assert "you made you" not in joined(await bot.feed("!audit"))


async def test_with_another_admin_an_admin_can_step_down_and_the_last_one_then_cannot(bot: ConsoleBot) -> None:
    await _ana(bot, "!volunteer research", role=Role.ADMIN)
    await say_on(bot, *BEN, "!volunteer writing")
    assert "Ben is now an admin (was member)." in await _ana(bot, "!role @Ben admin")
    assert "Ana is now a member (was admin)." in await _ana(bot, "!role @Ana member")
    assert "Only admins" in await _ana(bot, "!audit")
    assert REFUSED in await say_on(bot, *BEN, "!role @Ben lead")


async def test_an_admin_the_config_names_is_one_whatever_their_stored_role(database: str) -> None:
    """The config's admins list makes its people admins again at their next message: one of them
    steps down as the only stored admin (told it will not stick), and counts as another admin for
    someone else."""
    bot = await ConsoleBot.start(database, make_config(admins=["matrix:@ana:example.org"]))
    try:
        await _ana(bot, "!volunteer research")  # the config makes her an admin
        stepped = await _ana(bot, "!role @Ana member")
        assert "Ana is now a member (was admin). Heads up: Ana is on the config's `admins` list" in stepped
        assert "Only admins" not in await _ana(bot, "!audit")  # an admin again
        await say_on(bot, *BEN, "!volunteer writing")
        await _ana(bot, "!role @Ben admin")
        await _ana(bot, "!role @Ana member")  # stored a member, an admin by the config
        assert "Ben is now a lead (was admin)." in await say_on(bot, *BEN, "!role @Ben lead")
    finally:
        await bot.close()


async def test_an_account_on_the_config_admins_list_nobody_has_used_is_no_admin_yet(database: str) -> None:
    """It may be a typo, or someone who never comes: the only admin is still refused."""
    bot = await ConsoleBot.start(database, make_config(admins=["discord:404"]))
    try:
        await _ana(bot, "!volunteer research", role=Role.ADMIN)
        assert REFUSED in await _ana(bot, "!role @Ana member")
    finally:
        await bot.close()


async def test_the_only_admin_asking_to_be_forgotten_is_told_to_hand_it_on_first(bot: ConsoleBot) -> None:
    """Leaving must stay possible, but nobody could change roles after: the warning says so, and
    how to hand it on. With another admin, nothing is said about it."""
    only = joined(await bot.feed("!forget me"))
    assert (
        "You're the only admin: nobody could change roles after you. To hand it on first: `role <member> admin`."
        in only
    )
    await say_on(bot, *BEN, "!volunteer writing")
    await bot.feed("!role @Ben admin")
    assert "only admin" not in joined(await bot.feed("!forget me"))
    assert "only admin" not in await say_on(bot, *ANA, "!forget me")  # a member
