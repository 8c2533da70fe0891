"""Discord's error answers: HTTP status, JSON error code and message, in Discord's own shape.

Every refusal the stand-in makes goes through :class:`ApiError`, so a bot sees the body Discord
sends (``{"message": ..., "code": ...}``, plus an ``errors`` object for 400 validation errors)
and discord.py raises the same exception with the same ``.code`` as in production. Codes and
messages are Discord's (developers/topics/opcodes-and-status-codes: "JSON Error Codes").
"""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]


class Code:
    """JSON error codes the stand-in answers with (Discord's values)."""

    GENERAL = 0  # "401: Unauthorized", "404: Not Found", … carry code 0 on Discord
    UNKNOWN_APPLICATION = 10002
    UNKNOWN_CHANNEL = 10003
    UNKNOWN_GUILD = 10004
    UNKNOWN_MEMBER = 10007
    UNKNOWN_MESSAGE = 10008
    UNKNOWN_USER = 10013
    UNKNOWN_WEBHOOK = 10015
    UNKNOWN_INTERACTION = 10062
    CHANNEL_WRITE_RATE_LIMIT = 20028
    ALREADY_ACKNOWLEDGED = 40060
    MISSING_ACCESS = 50001
    CANNOT_ACT_ON_DM = 50003
    CANNOT_EDIT_OTHERS_MESSAGE = 50005
    EMPTY_MESSAGE = 50006
    CANNOT_MESSAGE_USER = 50007
    MISSING_PERMISSIONS = 50013
    INVALID_WEBHOOK_TOKEN = 50027
    INVALID_FORM_BODY = 50035
    INVALID_JSON = 50109


class ApiError(Exception):
    """An error answer as Discord gives it: HTTP status, JSON error code, message, field errors."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        errors: JSON | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.headers = headers or {}
        self.body: JSON = {"message": message, "code": code}
        if errors is not None:
            self.body["errors"] = errors

    @classmethod
    def invalid_form(cls, errors: JSON) -> ApiError:
        """Discord's 50035; discord.py raises it as HTTPException (CommandSyncFailure on sync)."""
        return cls(400, Code.INVALID_FORM_BODY, "Invalid Form Body", errors)

    @classmethod
    def not_found(cls, code: int, what: str) -> ApiError:
        """``404 {"message": "Unknown Channel", "code": 10003}`` and the like."""
        return cls(404, code, f"Unknown {what}")

    @classmethod
    def unknown_interaction(cls) -> ApiError:
        """A callback to an interaction that does not exist or whose 3 seconds are over."""
        return cls(404, Code.UNKNOWN_INTERACTION, "Unknown interaction")

    @classmethod
    def already_acknowledged(cls) -> ApiError:
        return cls(400, Code.ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged.")

    @classmethod
    def invalid_webhook_token(cls) -> ApiError:
        """An interaction token past its 15 minutes (or one never acknowledged in time)."""
        return cls(401, Code.INVALID_WEBHOOK_TOKEN, "Invalid Webhook Token")

    @classmethod
    def cannot_message_user(cls) -> ApiError:
        """A DM to someone whose DMs are closed to the bot, who blocked it, or who shares no
        server with it."""
        return cls(403, Code.CANNOT_MESSAGE_USER, "Cannot send messages to this user")

    @classmethod
    def missing_access(cls) -> ApiError:
        return cls(403, Code.MISSING_ACCESS, "Missing Access")

    @classmethod
    def missing_permissions(cls) -> ApiError:
        return cls(403, Code.MISSING_PERMISSIONS, "Missing Permissions")

    @classmethod
    def empty_message(cls) -> ApiError:
        return cls(400, Code.EMPTY_MESSAGE, "Cannot send an empty message")


def field_error(code: str, message: str) -> JSON:
    """One entry of a 50035 ``errors`` object: ``{"_errors": [{"code": ..., "message": ...}]}``."""
    return {"_errors": [{"code": code, "message": message}]}


def too_long(limit: int) -> JSON:
    return field_error("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def nest(path: list[str | int], error: JSON) -> JSON:
    """``nest(["components", 0, "custom_id"], e)`` → ``{"components": {"0": {"custom_id": e}}}``,
    the way Discord points at the offending field."""
    for key in reversed(path):
        error = {str(key): error}
    return error
