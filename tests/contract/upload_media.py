"""Schemathesis hooks for the Baosong portal (loaded with SCHEMATHESIS_HOOKS).

PATCH /uploads/{id} takes a chunk of a file as
`application/offset+octet-stream` (the tus media type). Schemathesis does
not know how to generate such a body, so it is given one: arbitrary bytes.
"""

from hypothesis import strategies as st

import schemathesis

schemathesis.openapi.media_type("application/offset+octet-stream", st.binary(max_size=256))
