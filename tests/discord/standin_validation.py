"""What Discord refuses in a message body, refused here the same way.

Create and edit requests (channel messages, interaction responses, followups, ``@original``
edits) pass through these checks, so a bot that builds a body Discord would reject fails against
the stand-in too, with the same 400 and the same ``errors`` object. Limits are Discord's
documented ones (developers/resources/message: Create Message, Allowed Mentions, Embed Limits;
developers/components/reference: custom_id 1-100 characters, unique per message, 5 buttons per
row, 5 rows, labels of 80; developers/interactions/receiving-and-responding: 25 autocomplete
choices of at most 100 characters).
"""

from __future__ import annotations

from typing import Any

from .standin_errors import JSON, ApiError, field_error, nest, too_long

MAX_CONTENT_LENGTH = 2000
MAX_NONCE_LENGTH = 25
MAX_EMBEDS = 10
MAX_ROWS = 5
MAX_ROW_CHILDREN = 5
MAX_CUSTOM_ID = 100
MAX_LABEL = 80
MAX_MENTION_IDS = 100
MAX_CHOICES = 25
MAX_CHOICE_TEXT = 100
MENTION_TYPES = ("everyone", "roles", "users")
ACTION_ROW, BUTTON, LINK_STYLE = 1, 2, 5
#: Top-level components are laid out freely (no action rows required) with this flag.
IS_COMPONENTS_V2 = 1 << 15
#: (field, limit) for each embed, and the limit on all of them together.
EMBED_TEXT_LIMITS = (("title", 256), ("description", 4096))
EMBED_TOTAL = 6000


class Problems:
    """Field errors collected over a whole body: Discord reports them all in one 50035."""

    def __init__(self) -> None:
        self.errors: JSON = {}

    def add(self, path: list[str | int], error: JSON) -> None:
        _merge(self.errors, nest(path, error))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ApiError.invalid_form(self.errors)


def _merge(into: JSON, extra: JSON) -> None:
    for key, value in extra.items():
        if key in into and isinstance(into[key], dict) and isinstance(value, dict):
            _merge(into[key], value)
        elif key in into and key == "_errors":
            into[key] = into[key] + value
        else:
            into[key] = value


def check_new_message(fields: JSON, *, has_files: bool) -> None:
    """A new message: the field checks, then "Cannot send an empty message" (50006)."""
    check_fields(fields)
    if not has_content(fields, has_files=has_files):
        raise ApiError.empty_message()


def check_edit(fields: JSON, *, would_be_empty: bool) -> None:
    """An edit: the fields it sets, and it may not leave the message with nothing in it."""
    check_fields(fields)
    if would_be_empty:
        raise ApiError.empty_message()


def has_content(fields: JSON, *, has_files: bool) -> bool:
    return bool(fields.get("content") or fields.get("embeds") or fields.get("components") or has_files)


def check_fields(fields: JSON) -> None:
    """Content, nonce, allowed mentions, components and embeds, whichever the body has."""
    problems = Problems()
    content = fields.get("content")
    if isinstance(content, str) and len(content) > MAX_CONTENT_LENGTH:
        problems.add(["content"], too_long(MAX_CONTENT_LENGTH))
    nonce = fields.get("nonce")
    if nonce is not None and len(str(nonce)) > MAX_NONCE_LENGTH:
        problems.add(["nonce"], too_long(MAX_NONCE_LENGTH))
    if isinstance(fields.get("allowed_mentions"), dict):
        _check_allowed_mentions(fields["allowed_mentions"], problems)
    components = fields.get("components") or []
    v2 = bool(int(fields.get("flags") or 0) & IS_COMPONENTS_V2)
    _check_components(components, problems, layout=not v2)
    _check_embeds(fields.get("embeds") or [], problems)
    problems.raise_if_any()


def _check_allowed_mentions(rules: JSON, problems: Problems) -> None:
    """``parse`` names mention types; listing ``users`` (``roles``) there and also giving ids
    for them is refused, as Discord documents ("mutually exclusive"); empty lists are fine."""
    parse = rules.get("parse") or []
    for index, kind in enumerate(parse):
        if kind not in MENTION_TYPES:
            message = "Value must be one of {'everyone', 'roles', 'users'}."
            problems.add(["allowed_mentions", "parse", index], field_error("BASE_TYPE_CHOICES", message))
    for kind in ("users", "roles"):
        ids = rules.get(kind) or []
        if ids and kind in parse:
            message = f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.'
            problems.add(["allowed_mentions"], field_error("MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", message))
        if len(ids) > MAX_MENTION_IDS:
            problems.add(["allowed_mentions", kind], too_long(MAX_MENTION_IDS))


def _check_components(components: list[Any], problems: Problems, *, layout: bool) -> None:
    """Classic messages: at most 5 action rows of at most 5 buttons (or one select). Every
    interactive component, however nested: a custom_id of 1-100 characters, unique in the
    message; buttons label at most 80 characters, link buttons a url and no custom_id."""
    if layout and len(components) > MAX_ROWS:
        problems.add(["components"], too_long(MAX_ROWS))
    seen: set[str] = set()
    stack: list[tuple[list[str | int], Any]] = [(["components", i], c) for i, c in enumerate(components)]
    while stack:
        path, component = stack.pop()
        if not isinstance(component, dict):
            problems.add(path, field_error("MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"))
            continue
        kind = component.get("type")
        children = component.get("components") or []
        if layout and len(path) == 2 and kind != ACTION_ROW:
            message = 'Value of field "type" must be one of (1,).'  # without the IS_COMPONENTS_V2 flag
            problems.add([*path, "type"], field_error("UNION_TYPE_CHOICES", message))
        if kind == ACTION_ROW and len(children) > MAX_ROW_CHILDREN:
            problems.add([*path, "components"], too_long(MAX_ROW_CHILDREN))
        if kind == BUTTON:
            _check_button(component, path, problems)
        custom_id = component.get("custom_id")
        if custom_id is not None:
            if not 1 <= len(str(custom_id)) <= MAX_CUSTOM_ID:
                message = f"Must be between 1 and {MAX_CUSTOM_ID} in length."
                problems.add([*path, "custom_id"], field_error("BASE_TYPE_BAD_LENGTH", message))
            if custom_id in seen:
                duplicated = field_error("COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
                problems.add(["components"], duplicated)
            seen.add(str(custom_id))
        stack.extend(([*path, "components", i], child) for i, child in enumerate(children))
        if isinstance(component.get("accessory"), dict):
            stack.append(([*path, "accessory"], component["accessory"]))


def _check_button(button: JSON, path: list[str | int], problems: Problems) -> None:
    if len(str(button.get("label") or "")) > MAX_LABEL:
        problems.add([*path, "label"], too_long(MAX_LABEL))
    if button.get("style") == LINK_STYLE:
        if not button.get("url") or "custom_id" in button:
            message = "A link button needs a url and cannot have a custom_id."
            problems.add([*path, "url"], field_error("BUTTON_COMPONENT_URL_REQUIRED", message))
    elif "custom_id" not in button and "sku_id" not in button:
        message = "A non-link button needs a custom_id."
        problems.add([*path, "custom_id"], field_error("BUTTON_COMPONENT_CUSTOM_ID_REQUIRED", message))


def _check_embeds(embeds: list[Any], problems: Problems) -> None:
    if len(embeds) > MAX_EMBEDS:
        problems.add(["embeds"], too_long(MAX_EMBEDS))
    total = 0
    for index, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            continue
        for name, limit in EMBED_TEXT_LIMITS:
            text = str(embed.get(name) or "")
            total += len(text)
            if len(text) > limit:
                problems.add(["embeds", index, name], too_long(limit))
        for item in embed.get("fields") or []:
            total += len(str(item.get("name") or "")) + len(str(item.get("value") or ""))
        total += len(str((embed.get("footer") or {}).get("text") or ""))
        total += len(str((embed.get("author") or {}).get("name") or ""))
    if total > EMBED_TOTAL:
        message = f"Embed size exceeds maximum size of {EMBED_TOTAL}"
        problems.add(["embeds"], field_error("BASE_TYPE_MAX_LENGTH", message))


def check_choices(data: JSON) -> None:
    """An autocomplete answer (callback type 8): at most 25 choices, names of 1-100 characters,
    string values of at most 100."""
    problems = Problems()
    choices = data.get("choices") or []
    if len(choices) > MAX_CHOICES:
        problems.add(["data", "choices"], too_long(MAX_CHOICES))
    for index, choice in enumerate(choices):
        name = str(choice.get("name") or "")
        if not 1 <= len(name) <= MAX_CHOICE_TEXT:
            message = f"Must be between 1 and {MAX_CHOICE_TEXT} in length."
            problems.add(["data", "choices", index, "name"], field_error("BASE_TYPE_BAD_LENGTH", message))
        value = choice.get("value")
        if isinstance(value, str) and len(value) > MAX_CHOICE_TEXT:
            problems.add(["data", "choices", index, "value"], too_long(MAX_CHOICE_TEXT))
    problems.raise_if_any()
