"""`python -m bot` is the `colloquy` command line."""

from bot.cli import main

main()
