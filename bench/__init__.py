"""Benchmarks: the connector against raw httpx and the Infobip peers (``python -m bench``)."""
