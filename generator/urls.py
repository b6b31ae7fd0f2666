"""URLs as they may be shown: in diagnostics, messages and logs, never with the credentials they carry."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

__all__ = ["display_url"]


def display_url(url: str) -> str:
    """`url` without user name and password (`https://user:token@host/x` -> `https://host/x`)."""
    try:
        parts = urlsplit(url)
        if parts.username is None and parts.password is None:
            return url
        host = parts.hostname or ""
        port = parts.port
    except ValueError:  # a port that is no number: show no more than the scheme and path
        parts = urlsplit(url)
        return urlunsplit(parts._replace(netloc="***"))
    host = f"[{host}]" if ":" in host else host
    netloc = f"{host}:{port}" if port else host
    return urlunsplit(parts._replace(netloc=netloc))
