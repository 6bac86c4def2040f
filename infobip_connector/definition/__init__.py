"""What the component is: the model of ``connector.yaml``, schema derivation, the reference.

Nothing here sends, validates values or knows a host; every other layer reads it.
"""
