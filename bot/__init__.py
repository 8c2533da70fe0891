"""volunteer-bot: lets a distributed network of volunteers organise itself from chat."""

__version__ = "0.1.0"
