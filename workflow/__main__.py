"""`python -m workflow` runs the besluitroute CLI."""

from workflow.cli import main

main()
