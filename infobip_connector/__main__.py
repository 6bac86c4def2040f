import sys

from .hosts import stopsignals

if stopsignals.wanted(sys.argv[1:]):
    # Before the command line's imports: a stop signal from now on is answered, not fatal.
    stopsignals.hold()

from .hosts.cli import main

main()
