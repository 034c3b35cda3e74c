"""Slash-command extensions, one file per command group; thin over the services in bot/."""
