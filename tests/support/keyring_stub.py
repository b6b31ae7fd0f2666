"""A keyring backend for the publish tests, chosen with PYTHON_KEYRING_BACKEND=keyring_stub.EnvironmentKeyring.

Passwords come from the JSON object in CLIENTGEN_TEST_KEYRING, keyed "<username>@<service>" (twine's service is
the repository URL). Nothing is stored.
"""

from __future__ import annotations

import json
import os

from keyring.backend import KeyringBackend


class EnvironmentKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        stored: dict[str, str] = json.loads(os.environ.get("CLIENTGEN_TEST_KEYRING", "{}"))
        return stored.get(f"{username}@{service}")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise NotImplementedError("the test keyring is read-only")

    def delete_password(self, service: str, username: str) -> None:
        raise NotImplementedError("the test keyring is read-only")
