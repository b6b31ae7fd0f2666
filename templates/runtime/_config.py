"""What differs per API, read by the runtime modules (which are the same in every generated package).

Never copied: each generated package has a `_config.py` of its own, from `templates/package/_config.py.jinja`,
defining these names with these types (tests/runtime/test_runtime_source.py checks that). The values here are those of
an API with OAuth2 client credentials, a client-id header, request signing and a client setting, so that the
type checker sees every path of the runtime.
"""

from typing import Any

#: The response header that carries the server's id for a request.
REQUEST_ID_HEADER: str = "x-request-id"
#: The prefix of the environment variables the client reads (`<PREFIX>_BASE_URL`, ...).
ENV_PREFIX: str = "API"
#: Default seconds a request may take to read, write or wait for a connection; and to connect.
TIMEOUT: float = 60.0
CONNECT_TIMEOUT: float = 10.0
#: The fields of the default retry policy that this API's configuration sets (the rest: RetryPolicy's defaults).
RETRY: dict[str, Any] = {}
#: Where OAuth2 client-credentials tokens come from: a path on the chosen server (the spec's tokenUrl may name
#: another environment of the API), or the URL of an authorization server of its own; None: no such tokens.
TOKEN_PATH: str | None = "/oauth/token"
#: The header that carries the client id on every request, if any.
CLIENT_ID_HEADER: str | None = "x-client-id"
#: What each request's HTTP message signature covers, in order; None: requests are not signed.
SIGNED_COMPONENTS: tuple[str, ...] | None = (
    "@method",
    "@path",
    "@query",
    "authorization",
    "content-digest",
)
#: The header naming the signature scheme's version, and its value.
SIGNATURE_VERSION_HEADER: str | None = None
SIGNATURE_VERSION: str | None = None
#: Where an API key goes: a header, a query parameter (None: the API takes no key).
API_KEY_HEADER: str | None = None
API_KEY_QUERY: str | None = None
#: API keys that security requirements need together: (argument, environment variable, header, query).
API_KEYS: tuple[tuple[str, str, str | None, str | None], ...] = (
    ("project", "API_PROJECT", "x-project", None),
)
#: Whether the API takes HTTP basic authentication (username and password).
BASIC_AUTH: bool = False
#: Headers that (nearly) every operation declares, set once on the client and sent on every request:
#: (header, constructor argument, environment variable, required, the spec's default).
CLIENT_HEADERS: tuple[tuple[str, str, str, bool, str | None], ...] = (
    ("x-tenant", "x_tenant", "API_X_TENANT", True, None),
)
#: Where the API serves the keys that sign its webhook deliveries (a JSON Web Key Set), if it does; the scope sets
#: that allow fetching them, and whether that takes authentication.
WEBHOOK_KEYS_PATH: str | None = "/webhooks/keys"
WEBHOOK_KEYS_SCOPES: tuple[tuple[str, ...], ...] = (("webhooks:read",),)
WEBHOOK_KEYS_AUTHENTICATED: bool = True
#: The field of a webhook event that names its type.
WEBHOOK_TYPE_FIELD: str = "type"
