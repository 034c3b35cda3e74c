"""Discord rendering as pure functions: what a message holds before any client sends it."""

from __future__ import annotations

from bot.discord.render import context_embeds
from bot.search.service import ContextTurn


def test_context_longer_than_an_embed_continues_in_further_embeds_and_messages() -> None:
    speech = " ".join(f"The breakwater stone number {n} was set by hand in the old harbour." for n in range(400))
    turns = [ContextTurn(0, "Otto Kranz", speech, None, None, False)]
    messages = context_embeds("Long talkers", turns, 0)
    embeds = [embed for message in messages for embed in message]
    assert len(embeds) >= 7 and len(messages) >= 2  # 27,000 characters: several messages
    assert all(sum(len(e.get("description", "")) + len(e["title"]) for e in m) <= 6000 for m in messages)
    shown = "\n".join(e.get("description", "") for e in embeds)
    assert all(f"stone number {n} was set" in shown for n in (0, 199, 399))  # split, nothing dropped
    assert embeds[1]["title"].endswith("(continued)")
