"""`persons.with_identities` (the prompt lane's one read of its readers) gives what `get_many`
and `identities` give one by one, for people with several accounts, one, or none."""

from __future__ import annotations

from bot.ids import PersonId
from bot.storage import persons
from tests.console_bot import ConsoleBot


async def test_people_with_their_accounts_read_at_once_are_those_read_one_by_one(bot: ConsoleBot) -> None:
    for name in ("alice", "bob"):
        await bot.say(name, "!volunteer research")
    async with bot.app.db.transaction() as tx:
        alice, bob = [await persons.by_identity(tx, "console", name) for name in ("alice", "bob")]
        assert alice is not None and bob is not None
        await tx.execute(
            "INSERT INTO identities (platform, user_id, person_id, display_name, name_key, last_seen_at)"
            " VALUES ('matrix', '@alice:example.org', :p, 'Alice', 'alice', 1)",
            {"p": alice.id},
        )
        await tx.execute("DELETE FROM identities WHERE person_id = :p", {"p": bob.id})
        ids = [alice.id, bob.id, PersonId(999_999)]  # the last one does not exist
        found = await persons.with_identities(tx, ids)
        assert set(found) == {alice.id, bob.id}
        people = await persons.get_many(tx, ids)
        for person_id, (person, accounts) in found.items():
            assert person == people[person_id]
            assert accounts == await persons.identities(tx, person_id)
        assert [a.platform for a in found[alice.id][1]] == ["console", "matrix"]
        assert found[bob.id][1] == []
