"""The areas of the bot, one package each: people, asks, intros and the network, pairing,
contacts and follow-ups, check-ins, your to-do list, leads, accounts and help.

Each area holds its commands (declared on their handlers), its rules (domain logic raising typed
refusals), its words (every sentence it says), its queries (all its SQL) and its reminders. Its
package exports what other areas may use and `AREA`, its declarations; `bot.catalog` gathers
them. An area imports core, storage, scheduling's declarations, `bot.ids` and other areas'
packages — never another area's modules, never an adapter (`tests/test_layers.py` checks).
"""
