"""Values to request and answer to output: pruning, validation, checks, shaping, the runtime.

Pure: no sockets, no status codes, no key. The transport layer is handed what this builds.
"""
