"""``python -m pmkit`` runs the command line."""

from pmkit.cli import main

main()
