"""Colloquy: interview and podcast transcripts as a searchable, quotable library for Discord."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
