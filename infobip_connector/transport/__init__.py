"""Talking to Infobip: connection policy, the client, its async sender, deadlines.

The one place that holds the API key, sends, retries and maps answers to typed errors.
"""
