"""One module per action: ``build_request`` (values → InfobipRequest) and ``shape_output``.

Both are pure. The runtime validates and normalises values before ``build_request``
and projects ``shape_output``'s result onto the declared output afterwards.
"""
