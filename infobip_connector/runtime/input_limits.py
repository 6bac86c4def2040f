"""The limits every input is held to before validation, shared by the pruning walk
(``values.py``) and the plain copy that stands in for it on small inputs (``plain_copy.py``)."""

from __future__ import annotations

# Far above any real bulk (the benchmark sends 100,000 destinations), low enough that a
# runaway input is refused before it can exhaust memory.
MAX_VALUES = 1_500_000
MAX_TEXT_CHARS = 50_000_000
MAX_DEPTH = 32
# Whole numbers beyond this are refused as they are read: no field takes one (Infobip's
# are Java ints and longs), validators lose them (Python prints at most 4,300 digits,
# jsonschema-rs then sees null) and a message could not show them.
MAX_INTEGER_DIGITS = 100
INTEGER_BOUND = 10**MAX_INTEGER_DIGITS
#: An input of fewer values is pruned and checked with the cycle collector running: it
#: creates too few objects for a collection to start, and pausing costs more than its work.
#: From this many values on, or from a list of ``SHARE_FROM`` items, the rest of the walk
#: runs paused (``gcpause``), as the runtime's checks do.
PAUSE_FROM = 64
