"""What `export me` holds: every table that keeps something of a person, each column either shown
under the name the spec gives it (`due`, not `due_at`) or left out as internal, with the reason.

The shape is declared here as data; `queries.export` reads it and `rules.export` turns the values
into words a person can read (times in ISO-8601 in their zone, `HH:MM`, weekday names). A test
walks SQLite's foreign keys to people and fails when a column of such a table is in neither list,
so a column added later cannot be left out of the export without someone deciding so.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One value of the export: `name` as shown, from the table's `columns`.

    `kind` says how to show it: `text` as stored, `time` (epoch seconds) in ISO-8601 in the
    person's zone, `due` (a time, and the zone of a day given as a day) as that date or an ISO-8601
    time, `clock` (minutes after midnight) as `HH:MM`, `quiet` (two clocks) as
    `21:00-09:00`, `weekday` (0 is Monday) by name, `flag` as true or false, `action` (an audit
    row's action, subject, detail and whether it was a look) as the audit says it. `via` follows
    an id to another table's column, hop by hop (the title of a claimed ask). `case` is a SQL
    expression over the row `t` and the person `:p`, for values that depend on which side they are on.
    """

    name: str
    columns: tuple[str, ...]
    kind: str = "text"
    via: tuple[tuple[str, str], ...] = ()
    case: str | None = None


def f(name: str, *columns: str, kind: str = "text", via: tuple[tuple[str, str], ...] = ()) -> Field:
    return Field(name, columns or (name,), kind, via)


def name_of(name: str, column: str) -> Field:
    """Another person's display name, from their id."""
    return Field(name, (column,), via=(("people", "display_name"),))


def other_side(name: str = "with_whom") -> Field:
    """In a pair (`a_id`, `b_id`), the other person's name."""
    case = "CASE WHEN t.a_id = :p THEN t.b_id ELSE t.a_id END"
    return Field(name, ("a_id", "b_id"), via=(("people", "display_name"),), case=case)


@dataclass(frozen=True)
class Part:
    """One section of the export: rows of `table` where any of `owners` is the person (and `only`
    holds; `single`: the one row, as an object), with `fields` shown and `internal` columns left out."""

    name: str
    table: str
    owners: tuple[str, ...]
    fields: tuple[Field, ...]
    internal: tuple[str, ...] = ()
    single: bool = False
    only: str = ""  # a further condition on the row `t`


#: People's columns that summarise other parts (bot/storage/summaries.py): met_at is the latest of
#: the meetings under `met`, the check-in times the latest of the check-ins under `checkins`.
_KEPT_FROM_OTHERS = ("met_at", "checkin_asked_at", "checkin_heard_at")

# A name's key (`name_key`, bot/core/names.py) is the name folded, for lookups and order: internal
# wherever it is.
PARTS: tuple[Part, ...] = (
    Part("profile", "people", ("id",), (
        f("name", "display_name"), f("signed_up", "signed_up_at", kind="time"), f("tz"), f("region"),
        f("library"), f("role", "job"), f("hours"), f("load", "max_claims"),
        f("quiet", "quiet_start", "quiet_end", kind="quiet"), f("visibility"),
        f("paused", "paused_at", kind="time"), f("paused_until", kind="time"),
        f("first_seen", "created_at", kind="time"), f("last_seen", "last_seen_at", kind="time"),
        f("welcomed", "welcomed_at", kind="time"),
        f("bot_role", "role"), f("bot_role_from", "role_source"), f("bot_role_since", "role_since", kind="time"),
    ), internal=("region_key", "name_key", *_KEPT_FROM_OTHERS), single=True),
    Part("accounts", "identities", ("person_id",), (
        f("platform"), f("user_id"), f("name", "display_name"), f("last_seen", "last_seen_at", kind="time"),
    ), internal=("private_chat", "name_key")),
    Part("skills", "person_skills", ("person_id",), (f("skill"), f("added", "added_at", kind="time"))),
    Part("interests", "person_interests", ("person_id",), (f("interest"),)),
    Part("asks_posted", "asks", ("posted_by",), (
        f("ask", "id"), f("title"), f("details"), f("skill"), f("need"), f("due", "due_at", "due_zone", kind="due"),
        f("status"), f("posted", "created_at", kind="time"), f("changed", "updated_at", kind="time"),
        f("closed", "closed_at", kind="time"),
    ), internal=("notice_round", "search")),
    Part("claims", "claims", ("person_id",), (
        f("ask", "ask_id"), f("ask_title", "ask_id", via=(("asks", "title"),)), f("status"),
        f("claimed", "claimed_at", kind="time"), f("last_update", "last_activity_at", kind="time"),
        f("finished", "finished_at", kind="time"), f("note"),
    ), internal=("id", "next_nudge_at", "due_nudged_at")),
    Part("updates_written", "ask_updates", ("person_id",), (
        f("ask", "ask_id"), f("kind"), f("text"), f("at", "created_at", kind="time"),
    ), internal=("id",)),
    Part("contacts", "contacts", ("owner_id",), (
        f("contact", "id"), f("name"), f("org"), f("how"), f("interests"), f("share"),
        f("added", "created_at", kind="time"), f("changed", "updated_at", kind="time"),
        f("last_note", "last_note_at", kind="time"),
    ), internal=("search", "name_key")),
    Part("contact_notes_written", "contact_notes", ("author_id",), (
        f("contact", "contact_id"), f("contact_name", "contact_id", via=(("contacts", "name"),)), f("text"),
        f("at", "created_at", kind="time"),
    ), internal=("id",)),
    Part("follow_ups", "followups", ("person_id",), (
        f("follow_up", "id"), f("contact", "contact_id"), f("intro", "intro_id"), f("due", "due_at", kind="time"),
        f("status"), f("set", "created_at", kind="time"), f("closed", "closed_at", kind="time"),
    ), internal=("next_nudge_at",)),
    Part("intros", "intros", ("a_id", "b_id", "proposer_id"), (
        f("intro", "id"), name_of("proposed_by", "proposer_id"), name_of("member", "a_id"),
        name_of("other_member", "b_id"), f("contact", "contact_id", via=(("contacts", "name"),)), f("why"),
        Field("your_answer", ("a_answer", "b_answer"),
              case="CASE WHEN t.a_id = :p THEN t.a_answer WHEN t.b_id = :p THEN t.b_answer END"),
        f("status"), f("proposed", "created_at", kind="time"), f("closed", "closed_at", kind="time"),
    ), internal=("pair_key", "remind_at")),
    Part("met", "meetings", ("a_id", "b_id"), (
        other_side(), f("how"), f("intro", "intro_id"), name_of("recorded_by", "recorded_by"),
        Field("your_note", ("note",), case="CASE WHEN t.recorded_by = :p THEN t.note END"),
        f("at", kind="time"),
    ), internal=("id",)),
    Part("ties", "ties", ("a_id", "b_id"), (
        other_side(), f("first_met", "first_at", kind="time"), f("last_met", "last_at", kind="time"),
        f("times"),
    )),
    Part("events_posted", "events", ("posted_by",), (
        f("event", "id"), f("title"), f("place"), f("length_minutes", "length_s", kind="minutes"), f("every"),
        f("tz"), f("at", "at_minute", kind="clock"), f("skill"), f("region"), f("status"),
        f("posted", "created_at", kind="time"), f("changed", "updated_at", kind="time"),
    ), internal=("anchor", "anchor_seq", "region_key", "revision")),
    Part("event_answers", "event_rsvps", ("person_id",), (
        f("event", "time_id", via=(("event_times", "event_id"), ("events", "title"))),
        f("starts", "time_id", kind="time", via=(("event_times", "starts_at"),)), f("answer", "status"),
        f("answered", "answered_at", kind="time"),
    ), internal=("day_sent_at", "hour_sent_at", "met_sent_at")),
    Part("pairing", "pairing_members", ("person_id",), (f("joined", "joined_at", kind="time"),)),
    Part("dashboard_sessions", "dashboard_sessions", ("person_id",), (
        f("opened", "created_at", kind="time"), f("expires", "expires_at", kind="time"),
    ), internal=("token_hash",)),
    Part("pairs", "pairings", ("a_id", "b_id"), (f("round", "round_key"), other_side()), internal=("group_no",)),
    Part("signature", "signatories", ("person_id",), (
        f("name"), f("email"), f("workplace"), f("library"), f("region"), f("role", "job"), f("skills"),
        f("notes"), f("listed", "created_at", kind="time"), f("changed", "updated_at", kind="time"),
        f("invited", "invited_at", kind="time"), f("joined", "joined_at", kind="time"),
    ), internal=("id", "key", "search", "name_key", "region_key", "code_hash"), single=True),
    Part("announcements_posted", "announcements", ("posted_by",), (
        f("announcement", "id"), f("text"), f("to", "kind"), f("target"), f("send", "send_at", kind="time"),
        f("sent", "released_at", kind="time"), f("reach"), f("posted", "created_at", kind="time"),
    ), internal=("released_through",)),  # how far its shares got: a person id, someone else's
    Part("resources_added", "resources", ("added_by",), (
        f("resource", "id"), f("url"), f("title"), f("tags"), f("note"), f("added", "created_at", kind="time"),
        f("changed", "updated_at", kind="time"),
    ), internal=("search",)),
    # A note written by adding someone else's link again, which filled the note it lacked.
    Part("resource_notes_written", "resources", ("note_by",), (f("resource", "id"), f("url"), f("note")),
         only="(t.added_by IS NULL OR t.added_by != :p)"),
    Part("checkin_schedule", "checkin_schedules", ("person_id",), (
        f("every"), f("on", "weekday", kind="weekday"), f("at", "at_minute", kind="clock"),
        f("next", "next_due_at", kind="time"), f("set", "created_at", kind="time"),
    ), internal=("anchor",), single=True),
    Part("checkins", "checkins", ("person_id",), (
        f("asked", "due_at", kind="time"), f("answered", "answered_at", kind="time"), f("answer"),
    ), internal=("id", "remind_at")),
    Part("privileged_actions", "audit", ("actor_id",), (
        # What was done in the audit's words ("posted ask 1"), not its key (`ask.post`).
        f("at", kind="time"), f("did", "action", "subject", "detail", "view", kind="action"),
        f("look", "view", kind="flag"),
    ), internal=("id", "source")),
    Part("messages_waiting", "outbox", ("person_id",), (
        f("kind"), f("status"), f("queued", "created_at", kind="time"),
        # When it goes next: a notice queued at night waits for the morning, a failed send for its retry.
        f("send_after", "next_attempt_at", kind="time"), f("sent", "sent_at", kind="time"),
    ), internal=("id", "key", "channel", "body", "bundle", "attempts", "not_before", "last_error", "subject",
                 "batch_key", "caused_by"), only="t.status IN ('pending', 'sending')"),
)  # fmt: skip

#: Tables that refer to a person but hold nothing to export, and why.
NOT_EXPORTED = {
    "link_codes": "a hash of a one-time code, useless to anyone once used or expired",
    "link_attempts": "the times of wrong `link` codes, kept ten minutes to stop guessing",
    "dashboard_links": "a hash of a one-time dashboard link, useless once used or expired (sessions are exported)",
    "iam_attempts": "the times of wrong `iam` codes, kept to stop guessing",
    "network_reach": "two counts worked out from the meetings (exported under `met`), for the leads' `network`",
}
