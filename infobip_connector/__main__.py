import sys

if "serve" in sys.argv[1:]:
    # Before the command line's imports: a stop signal from now on is answered, not fatal.
    from .hosts import stopsignals

    stopsignals.hold()

from .hosts.cli import main

main()
