"""Summaries: extractive by default, optionally grounded abstractive through an OpenAI-compatible endpoint."""
