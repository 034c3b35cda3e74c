"""The Discord client: the Bot subclass, the command tree and rendering."""
