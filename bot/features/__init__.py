"""Domain logic, one module per area of the spec: pure functions over storage and a clock.

Features return dataclasses and raise `UserError`s; they never build chat text or touch a
platform. Handlers (in `bot.handlers`) turn their results into replies.
"""
