"""`python -m mutualdep` runs the command line."""

from mutualdep.cli import main

main()
