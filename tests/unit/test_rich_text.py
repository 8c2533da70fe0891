"""`fmt` and `merge`: every reply's text is built by them, several times over, so they are made
for speed (a run of plain spans joined once, plain text gathered as a template fills). What they
make must not change with that: neighbouring plain spans of one kind joined, empty ones gone,
values never opening or closing markup."""

from __future__ import annotations

from bot.core.text import Code, Mention, Moment, Plain, Private, Strong, fmt, merge
from bot.ids import PersonId


def test_merge_joins_neighbouring_plain_spans_of_one_kind_and_drops_empty_ones() -> None:
    assert merge([Plain("a"), Code(""), Plain("b")]) == (Plain("ab"),)  # an empty span parts nothing
    assert merge([Plain("a"), Private("b"), Private("c"), Plain(""), Plain("d")]) == (
        Plain("a"),
        Private("bc"),
        Plain("d"),
    )
    assert merge([Plain(""), Strong("x"), Plain("y"), Plain("z"), Code("c")]) == (Strong("x"), Plain("yz"), Code("c"))
    assert merge([]) == ()


def test_fmt_gathers_plain_text_around_values_and_keeps_other_spans_whole() -> None:
    dana = Mention(PersonId(5), "dana")
    due = Moment(1_790_000_000, "day", None)
    assert fmt("**#{id}** {title} — `claim {id}` due {due}\n", id=12, title="Call *them*", due=due) == (
        Strong("#12"),
        Plain(" Call *them* — "),
        Code("claim 12"),
        Plain(" due "),
        due,
        Plain("\n"),
    )
    assert fmt("Claimed for {who}. {note}", who=dana, note=(Private("secret"),)) == (
        Plain("Claimed for "),
        dana,
        Plain(". "),
        Private("secret"),
    )
    assert fmt("{a}{b}", a="", b=(Plain("x"), Plain("y"))) == (Plain("xy"),)
    assert fmt("`{x}`", x="") == ()  # an empty code span is dropped
    assert fmt("No fields here.") is fmt("No fields here.")  # made once
