"""What differs per API, read by the runtime modules (which are the same in every generated package).

Never copied: each generated package has a `_config.py` of its own, from `templates/package/_config.py.jinja`,
defining these names with these types (tests/test_runtime_source.py checks that). The values here are the ones
of an API whose spec and configuration set nothing.
"""

from typing import Any

#: The response header that carries the server's id for a request.
REQUEST_ID_HEADER: str = "x-request-id"
#: The fields of the default retry policy that this API's configuration sets (the rest: RetryPolicy's defaults).
RETRY: dict[str, Any] = {}
