"""Summaries: extractive by default, optionally grounded abstractive through an OpenAI-compatible endpoint."""

from bot.summarize.service import Summarizer, TopicCalibration
from bot.summarize.summary import Point, Summary

__all__ = ["Point", "Summarizer", "Summary", "TopicCalibration"]
