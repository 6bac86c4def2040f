"""``infobip-connector serve``: the component as a long-lived JSON-RPC 2.0 worker.

For engines not written in Python: one process keeps the component loaded and answers
requests read from stdin, one JSON-RPC message per line, on stdout, one answer per line
(logs go to stderr). ``command`` starts it, ``protocol`` frames messages, ``methods`` maps
them onto the component, ``connections`` picks each request's connection, ``lines`` reads
stdin, ``worker`` runs the calls concurrently and stops cleanly.
"""
