"""`python -m tallyflow` runs the command line."""

from tallyflow.cli import main

main()
