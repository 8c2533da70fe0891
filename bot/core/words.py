"""What the core itself says: parsing and permission errors, the apology, the privacy pointer,
and the shared ways of showing a date or someone who left.

Each area says its own sentences in its own `words.py`; these are the ones no area owns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import from_ts
from bot.core.text import Moment, Plain, Rich, fmt, last_sentence, lines, merge

#: How anyone who used `forget me` is shown everywhere, also in text scrubbed of their name.
FORMER = "a former member"
FORMER_FIRST = "A former member"  # (where a sentence starts with it)


def someone(name: str | None) -> str:
    """A person's name, or how someone who used `forget me` is shown."""
    return name or FORMER


#: The names `date_text` uses: English whatever the server's locale, as is everything the bot says.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_text(ts: int, zone: ZoneInfo, now: datetime) -> str:
    """`Mon 23 Nov` in `zone`, with the year when it is not this year there. Only `core.timing`
    calls this, for the reader's zone: everything else puts a `Moment` in its text."""
    local = from_ts(ts).astimezone(zone)
    text = f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]}"
    return text if local.year == now.astimezone(zone).year else f"{text} {local.year}"


# --- counts and articles ----------------------------------------------------------------------

#: Words whose plural is not the word plus "s" (or "es" after s, x, ch, sh; "ies" after a consonant and y).
_PLURALS = {"person": "people"}
#: Words that start with a vowel letter but a consonant sound ("a union"), and the other way round.
_SAYS_A = ("uni", "use", "usu", "one", "eu")
_SAYS_AN = ("hour", "honest")


def plural(noun: str, n: int = 2) -> str:
    """The noun for `n` of it: `volunteer` for 1, `volunteers` otherwise; the last word of a
    phrase is the one counted (`open ask` → `open asks`)."""
    if n == 1:
        return noun
    head, _, last = noun.rpartition(" ")
    if last in _PLURALS:
        many = _PLURALS[last]
    elif last.endswith(("s", "x", "ch", "sh")):
        many = last + "es"
    elif last.endswith("y") and last[-2:-1] not in tuple("aeiou"):
        many = last[:-1] + "ies"
    else:
        many = last + "s"
    return f"{head} {many}" if head else many


def singular(noun: str) -> str:
    """One of what a plural names (`interests` → `interest`, `replies` → `reply`), the other way
    round from `plural`; a word that is no plural stays as it is (`skill`)."""
    head, _, last = noun.rpartition(" ")
    ones = {many: one for one, many in _PLURALS.items()}
    if last in ones:
        one = ones[last]
    elif last.endswith("ies") and len(last) > 3:
        one = last[:-3] + "y"
    elif last.endswith(("ses", "xes", "ches", "shes")):
        one = last[:-2]
    elif last.endswith("s") and not last.endswith("ss"):
        one = last[:-1]
    else:
        one = last
    return f"{head} {one}" if head else one


def count(n: int, noun: str) -> str:
    """`1 volunteer`, `3 volunteers`, `0 asks`: how every count is said."""
    return f"{n} {plural(noun, n)}"


def series(words: Sequence[str], last: str = "and") -> str:
    """`region`, `region and library`, `region, library and job`: a list as it is said."""
    if len(words) <= 2:
        return f" {last} ".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def article(word: str) -> str:
    """`a lead`, `an admin`, `an id`, `a union`: the word with the article its sound takes."""
    lowered = word.lower().lstrip('`*“"')
    vowel = lowered[:1] in tuple("aeiou") and not lowered.startswith(_SAYS_A)
    return f"{'an' if vowel or lowered.startswith(_SAYS_AN) else 'a'} {word}"


def member_word(name: str) -> str:
    """How to type a member's name in a command: `@alice`, or `"Jo Lee"` when it has spaces."""
    return f'"{name}"' if any(ch.isspace() for ch in name) else f"@{name}"


# --- reading a command ------------------------------------------------------------------------


def usage(reason: str | Rich, usage_line: str, example: str, **values: str) -> Rich:
    """A reason (a template for `values`, or a text made already) and how the command is typed, with an example."""
    said = fmt(reason, **values) if isinstance(reason, str) else reason
    return lines(said, fmt("Usage: `{usage}`\nExample: `{example}`", usage=usage_line, example=example))


GAVE_TWICE = "You gave `{key}` twice."
UNEXPECTED = "I didn't expect {extra} there."
#: Words left over where the parameter they would fill was given as a key (`volunteer research skill:writing`).
UNEXPECTED_BESIDE_KEY = "I didn't expect {extra} there: `{key}:` already gives the {key}. Give it one way or the other."
NEEDS = "`{name}` needs {what}."
NO_SUCH_KEY_CLOSE = "`{name}` has no `{key}:`. Did you mean `{close}:`?"
NO_SUCH_KEY = "`{name}` has no `{key}:` (it takes {known})."
NO_KEYS = "`{name}` takes no `key:` values, so not `{key}:`."
FLAG_NOT_KEY = "`{key}` is a word on its own: `{name} {key}`, not `{key}:`."
EMPTY = "`{name}:` is empty."
NOT_A_NUMBER = "`{name}` should be {what}, not {text}."
OTHER_KIND = "`{text}` is {named}; `{name}` here is {wanted}.{how}"
#: What a lettered number names (`f7`, `c12`), to say so where another kind's number is wanted,
#: and how what it names is done (`done f7` means a follow-up done: a note about it settles it).
LETTERED = {
    "f": (
        "a follow-up",
        " Been in touch? `contact note <contact> <what happened>` settles it (`followups` names the contact).",
    ),
    "c": ("your claim on an ask", ""),
}
NOT_A_CHOICE = "`{name}` is one of {choices}, not {text}."
NEEDS_ONE = "`{name}` needs at least one {what}."


def too_long(name: str, limit: int, size: int) -> Rich:
    sentence = "`{name}` can be at most {limit} characters (yours has {size}). Shorten it and try again."
    return fmt(sentence, name=name, limit=str(limit), size=str(size))


def item_too_long(name: str, limit: int) -> Rich:
    return fmt("Each {name} can be at most {limit} characters. Shorten it and try again.", name=name, limit=str(limit))


def too_many(n: int, name: str, limit: int) -> Rich:
    return fmt("That is {count}; the limit is {limit}. Leave some out and try again.", count=count(n, name),
               limit=str(limit))  # fmt: skip


def unreadable(name: str) -> Rich:
    return fmt("I can't read `{name}:`.", name=name)


def not_later(text: str, meant: str | None = None) -> Rich:
    if meant is not None:
        return fmt("I can't read {text} as a length of time or a date. Did you mean `{meant}`?", text=text[:40],
                   meant=meant[:40])  # fmt: skip
    return fmt("I can't read {text} as a length of time or a date. Try `3d`, `2w` or `friday`.", text=text[:40])


def unknown_zone(text: str, close: Sequence[str]) -> Rich:
    hint = " Did you mean " + " or ".join(f"`{z}`" for z in close) + "?" if close else ""
    return fmt(
        "I don't know the timezone {text}." + hint + " Use a name like `America/Chicago`, or your city.",
        text=text[:60],
    )


def offset_not_zone(text: str) -> Rich:
    return fmt(
        "{text} is an offset, and daylight saving moves it twice a year. Give your city or zone instead, "
        "like `tz:Berlin` or `tz:Europe/Berlin`, and I'll keep up with the clocks.",
        text=text[:60],
    )


def bad_duration(text: str) -> Rich:
    return fmt("I can't read {text} as a length of time. Try `3d`, `2w`, `4h` or `30m`.", text=text[:60])


def too_far() -> Rich:
    return fmt("That is more than a year ahead. Pick something shorter, like `2w`.")


def bad_date(text: str, meant: str | None = None) -> Rich:
    if meant is not None:
        return fmt("I can't read {text} as a date. Did you mean `{meant}`?", text=text[:60], meant=meant[:60])
    return fmt("I can't read {text} as a date. Try `friday`, `in 2 weeks`, `2026-12-01` or `3d`.", text=text[:60])


def too_far_ahead(text: str, years: int) -> Rich:
    return fmt("{text} is more than {n} years ahead. Pick a nearer date, like `in 2 weeks`.", text=text, n=years)


def in_the_past(text: str) -> Rich:
    return fmt("{text} is in the past. Pick a date from today on, like `friday` or `in 2 weeks`.", text=text)


def past_add_the_year(text: str, again: str) -> Rich:
    return fmt("{text} is in the past. For next year's, add the year: `{again}`.", text=text, again=again)


def bad_next_day(text: str) -> Rich:
    return fmt("I can't read {text} as a date. Try `next tuesday 15:00` or a date, like `2026-12-01`.", text=text[:60])


def which_day_in(month: str, example: str) -> Rich:
    return fmt("Which day in {month}? Say it, like `{example}`.", month=month, example=example)


def not_that_weekday(day: str, actual: str, said: str, iso: str) -> Rich:
    """`friday, dec 20` when the 20th is a Sunday: a question, never a guess."""
    return fmt("{day} is {actual}, not {said}. Which did you mean: `{date}` or `{weekday}`?", day=day,
               actual=article(actual), said=article(said.capitalize()), date=iso, weekday=said)  # fmt: skip


def which_next(day: str, first: str, second: str, iso: str) -> Rich:
    """ "Next monday" said on a weekend, where weeks that start on Sunday and on Monday disagree."""
    return fmt("“Next {day}” could be {first} or {second}. Say `{plain}` for {first}, or the date, like `{iso}`.",
               day=day, first=first, second=second, plain=day.lower(), iso=iso)  # fmt: skip


def no_such_day(text: str, month: str, days: int, *, at_most: bool = False) -> Rich:
    """`at_most`: a month without its year (February's length depends on it)."""
    length = ("at most " if at_most else "") + count(days, "day")
    return fmt("{text} isn't a date: {month} has {length}. Try `friday`, `in 2 weeks` or `2026-12-01`.",
               text=text[:60], month=month, length=length)  # fmt: skip


def bad_clock(text: str) -> Rich:
    return fmt("I can't read {text} as a time of day. Use `HH:MM`, like `10:00`.", text=text[:20])


def bad_quiet() -> Rich:
    return fmt("Quiet hours look like `21:00-08:00` (start-end, your local time), or `default` for the network's.")


# --- running a command ------------------------------------------------------------------------


def message_too_long(size: int, limit: int) -> Rich:
    return fmt(
        "That message is too long for me ({size} characters; the limit is {limit}). Shorten it and try again.",
        size=str(size),
        limit=str(limit),
    )


def which_command() -> Rich:
    return fmt("Which command? Try `help`.")


def unknown_command(word: str, guess: str | None) -> Rich:
    if guess:
        return fmt("I don't know `{word}`. Did you mean `{guess}`? Try `help`.", word=word[:40], guess=guess)
    return fmt("I don't know `{word}`. Try `help` to see what I can do.", word=word[:40])


def finish_command(word: str, names: Sequence[str]) -> Rich:
    """`export` alone: the commands it begins."""
    forms = " or ".join(f"`{name}`" for name in names[:4])
    return fmt("`{word}` is the start of {forms}. Next: send it whole, or `help {first}` to see how it works.",
               word=word[:40], forms=fmt(forms), first=names[0])  # fmt: skip


def or_else(usages: Sequence[str]) -> Rich:
    """After an error in one form of a command, its other forms (`ask "Flyer"` may be meant to post)."""
    return fmt("Or: {usages}", usages=fmt(" or ".join(f"`{usage}`" for usage in usages)))


def no_matching_form(name: str, usages: str, examples: str) -> Rich:
    return fmt(
        "I couldn't match that to a form of `{name}`. It can be:\n{usages}\nExample: {examples}",
        name=name,
        usages=fmt(usages),
        examples=fmt(examples),
    )


def not_a_command(signed_up: bool) -> Rich:
    """A private message that is no command (here none needs its `!`), and no answer anything
    awaits. Someone who has not signed up yet (a "hello" is often a first message) is shown how."""
    if not signed_up:
        return fmt(
            "I didn't catch that: I answer commands. New here? Tell me what you can help with, like "
            "`volunteer research writing`, and you're in. Next: `help` lists everything."
        )
    return fmt("I didn't catch that: I answer commands, like `mine` or `asks`. Next: `help` lists them all.")


def forbidden(who: str, name: str) -> Rich:
    return fmt("Only {who} can use `{name}`. If you think you should, ask an admin to run `role`.", who=who, name=name)


def not_theirs(rule: Rich, whom: str, instead: Rich) -> Rich:
    """A refusal of what only the one who added something (or a lead) may do (spec §8: who can, and how
    to ask): `rule` says who can, then whom to ask and what the reader can do instead (`ask 12`)."""
    return rule + fmt(" If it needs doing, ask {whom}; ", whom=whom) + instead


def apology(incident: str) -> Rich:
    return fmt(
        "Sorry, something went wrong on my side (incident `{incident}`). Nothing was changed. "
        "Please try again; if it keeps happening, tell an admin that code.",
        incident=incident,
    )


def slow_down(limit: int) -> Rich:
    return fmt(
        "Slow down a little: I take up to {n} a minute from each person. "
        "Try again in a minute; nothing from the last few messages was done.",
        n=count(limit, "command"),
    )


def sent_privately() -> Rich:
    return fmt("I've sent you the details privately.")


def bundle(items: Sequence[Rich]) -> Rich:
    """Several reminders in one message: at most one nudge message per person per day. A last
    sentence every reminder ends with ("`followups` lists them all.") is said once, after a blank
    line (no item has one, so whoever reads the list can tell it apart)."""
    if len(items) == 1:
        return items[0]
    ending: Rich = ()
    parted = [last_sentence(item) for item in items]
    endings = {part[1] for part in parted if part is not None}
    if None not in parted and len(endings) == 1:  # the same last hint in each, said once at the end
        items, (ending,) = [part[0] for part in parted if part is not None], endings
    listed = lines(fmt("A few reminders:"), *(fmt("• ") + item for item in items))
    return merge([*listed, Plain("\n\n"), *ending]) if ending else listed


def only_pages(command: str, pages: int) -> Rich:
    verb = "is" if pages == 1 else "are"
    return fmt("There {verb} only {n}. Try `{command} page:{pages}`.", verb=verb, n=count(pages, "page"),
               pages=str(pages), command=command)  # fmt: skip


def entry(day: Rich | Moment, who: str, text: str) -> Rich:
    """One line of a log someone reads back (notes, answers, the audit): `· Mon 23 Nov alice: …`."""
    return fmt("· {day} {who}: {text}", day=day, who=who, text=text)


def page_header(title: str, page: int, pages: int, total: int) -> Rich:
    """`Open asks, newest first (12):`, or with the page when there are several."""
    if pages > 1:
        return fmt(
            "{title} (page {p} of {n}, {total} in all):", title=title, p=str(page), n=str(pages), total=str(total)
        )
    return fmt("{title} ({total}):", title=title, total=str(total))


def zone_label(zone: ZoneInfo) -> str:
    """How a zone is named next to a time: `Chicago time`, `UTC`."""
    if zone.key in ("UTC", "Etc/UTC"):
        return "UTC"
    return zone.key.rsplit("/", 1)[-1].replace("_", " ") + " time"


def not_text() -> Rich:
    return fmt("Part of that message isn't valid text (a broken character or emoji?). Type it again and resend.")


def unreachable(names: Sequence[str], others: int, advice: Rich) -> Rich:
    """To whoever caused private messages that could not be delivered: one message for everyone
    they missed so far (`bob`, or `bob, carol and 12 others`)."""
    who = series([*names, count(others, "other")] if others else list(names))
    message = "message" if len(names) + others == 1 else "messages"
    told = fmt(f"I couldn't reach {{who}} privately, so my {message} about what you did didn't get to them. ", who=who)
    return told + (advice or fmt("Ask them to let me message them privately."))


# --- zones (`bot.zones`): what a guess at a zone took, and a name several regions use ----------

#: GMT has no summer time; a Londoner who types it would be an hour off half the year.
GMT_AS_UTC = "I took GMT as UTC, with no summer time; in the UK, use Europe/London."


def took_place(code: str, place: str) -> str:
    return f"I took {code} as {place}; if you meant a timezone, give its name, like tz:Europe/Paris."


def which_zone(typed: str, readings: Sequence[tuple[str, str]]) -> Rich:
    """`IST`: India, Ireland or Israel, each with the zone to give instead."""
    regions = _either([region for region, _ in readings])
    zones = _either([f"`{zone}`" for _, zone in readings])
    return fmt(f"{{typed}} could be {regions} time. Say which with its zone: {zones}.", typed=typed[:60])


def _either(options: list[str]) -> str:
    """`a`, `a or b`, `a, b or c`."""
    return ", ".join(options[:-1]) + " or " + options[-1] if len(options) > 1 else options[0]
