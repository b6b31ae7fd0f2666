# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""HTTP message signatures (draft-ietf-httpbis-message-signatures-15 profile) and content digests.

Requests are signed after they are serialised, on the exact bytes sent, and every retry is signed afresh.
The same rules verify signed webhook deliveries.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence, Union

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

# defined beside the other errors, so that the package exports it without importing cryptography
from ._errors import SignatureError

__all__ = [
    "SignatureError",
    "Signer",
    "content_digest",
    "load_private_key",
    "public_key_from_jwk",
    "verify_message",
]

PrivateKey = Union[ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey]
PublicKey = Union[ec.EllipticCurvePublicKey, ed25519.Ed25519PublicKey]

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "secp256r1": hashes.SHA256,
    "secp384r1": hashes.SHA384,
    "secp521r1": hashes.SHA512,
}
_BODY_COMPONENTS = frozenset({"content-digest", "content-length", "content-type"})
_INPUT = re.compile(r"^\s*(?P<label>[A-Za-z0-9_.*-]+)=\((?P<components>[^)]*)\)(?P<params>.*)$")
_PARAM = re.compile(r';\s*([a-z0-9_.*-]+)=("(?:[^"\\]|\\.)*"|-?[0-9]+)')
_SIGNATURE = re.compile(r"^\s*(?P<label>[A-Za-z0-9_.*-]+)=:(?P<value>[A-Za-z0-9+/=]*):\s*$")


def content_digest(body: bytes) -> str:
    """The `content-digest` header value for a body: SHA-512, base64, as a structured byte sequence."""
    return f"sha-512=:{base64.b64encode(hashlib.sha512(body).digest()).decode('ascii')}:"


def load_private_key(key: Any, password: str | bytes | None = None) -> PrivateKey:
    """A signing key from a key object, PEM text or bytes, or the path of a PEM file."""
    if isinstance(key, (ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)):
        return key
    if isinstance(key, os.PathLike) or (isinstance(key, str) and "-----BEGIN" not in key):
        try:
            key = Path(key).read_bytes()
        except OSError as exc:
            raise SignatureError(f"cannot read the private key file: {exc.strerror}") from None
    data = key.encode("ascii") if isinstance(key, str) else bytes(key)
    secret = password.encode("utf-8") if isinstance(password, str) else password
    try:
        loaded = serialization.load_pem_private_key(data, password=secret)
    except (ValueError, TypeError) as exc:
        # a wrong password may also decrypt to bytes that happen to end in valid padding (about 1 in 256):
        # then the error is a parse error, so with a password given the password is named either way
        if "password" in str(exc).lower() or (secret is not None and b"ENCRYPTED" in data):
            reason = "wrong password or not encrypted"
        else:
            reason = "not a PEM private key"
        raise SignatureError(f"cannot load the private key: {reason}") from None
    if not isinstance(loaded, (ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)):
        raise SignatureError(
            "the private key must be an ECDSA (P-256, P-384, P-521) or Ed25519 key"
        )
    if isinstance(loaded, ec.EllipticCurvePrivateKey) and loaded.curve.name not in _HASHES:
        raise SignatureError(f"unsupported curve {loaded.curve.name}")
    return loaded


def _sign_bytes(key: PrivateKey, data: bytes) -> bytes:
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(data)
    return key.sign(data, ec.ECDSA(_HASHES[key.curve.name]()))  # DER-encoded


def _verify_bytes(key: PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        if isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, data)
            return True
        algorithm = ec.ECDSA(_HASHES[key.curve.name]())
        try:
            key.verify(signature, data, algorithm)
            return True
        except InvalidSignature:
            size = (key.curve.key_size + 7) // 8
            if len(signature) != 2 * size:
                return False
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            key.verify(encode_dss_signature(r, s), data, algorithm)
            return True
    except (InvalidSignature, ValueError, KeyError):
        return False


def _component_value(name: str, method: str, url: httpx.URL, headers: httpx.Headers) -> str | None:
    raw = url.raw_path.decode("ascii")
    path, _, query = raw.partition("?")
    if name == "@method":
        return method.upper()
    if name == "@path":
        return path or "/"
    if name == "@query":
        return f"?{query}" if query else None
    if name == "@authority":
        return url.netloc.decode("ascii").lower()
    if name == "@target-uri":
        return str(url)
    if name == "@scheme":
        return url.scheme
    if name.startswith("@"):
        return None
    values = headers.get_list(name)
    return ", ".join(v.strip() for v in values) if values else None


def _signature_base(components: list[str], values: Mapping[str, str], params: str) -> bytes:
    lines = [f'"{name}": {values[name]}' for name in components]
    lines.append(f'"@signature-params": {params}')
    return "\n".join(lines).encode("utf-8")


@dataclass(frozen=True)
class Signer:
    """Signs requests with one key. Holds the key object only; its repr shows the key id alone."""

    key_id: str
    private_key: PrivateKey
    components: tuple[str, ...]
    version_header: str | None = None
    version: str | None = None
    expires_in: int = 30
    label: str = "sig1"

    def __repr__(self) -> str:
        return f"Signer(key_id={self.key_id!r})"

    def sign(self, request: httpx.Request) -> None:
        """Add content-digest, signature-input and signature (and the version header) to the request."""
        body = request.content
        if body:
            request.headers["content-digest"] = content_digest(body)
        if self.version_header and self.version:
            request.headers[self.version_header] = self.version
        covered: list[str] = []
        values: dict[str, str] = {}
        for name in self.components:
            if name in _BODY_COMPONENTS and not body:
                continue
            value = _component_value(name, request.method, request.url, request.headers)
            if value is None:
                continue
            covered.append(name)
            values[name] = value
        created = int(time.time())
        nonce = secrets.token_urlsafe(16)
        inner = " ".join(f'"{name}"' for name in covered)
        params = f'({inner});keyid="{self.key_id}";created={created};expires={created + self.expires_in};nonce="{nonce}"'
        signature = _sign_bytes(self.private_key, _signature_base(covered, values, params))
        request.headers["signature-input"] = f"{self.label}={params}"
        request.headers["signature"] = (
            f"{self.label}=:{base64.b64encode(signature).decode('ascii')}:"
        )


def public_key_from_jwk(jwk: Mapping[str, Any]) -> PublicKey:
    """A verification key from a JWK (EC P-256/P-384/P-521 or OKP Ed25519)."""

    def number(field: str) -> bytes:
        text = str(jwk[field])
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    kind = jwk.get("kty")
    if kind == "EC":
        curves: dict[str, ec.EllipticCurve] = {
            "P-256": ec.SECP256R1(),
            "P-384": ec.SECP384R1(),
            "P-521": ec.SECP521R1(),
        }
        curve = curves.get(str(jwk.get("crv")))
        if curve is None:
            raise SignatureError(f"unsupported JWK curve {jwk.get('crv')!r}")
        x = int.from_bytes(number("x"), "big")
        y = int.from_bytes(number("y"), "big")
        return ec.EllipticCurvePublicNumbers(x, y, curve).public_key()
    if kind == "OKP" and jwk.get("crv") == "Ed25519":
        return ed25519.Ed25519PublicKey.from_public_bytes(number("x"))
    raise SignatureError(f"unsupported JWK key type {kind!r}")


def verify_message(
    method: str,
    url: str | httpx.URL,
    headers: Mapping[str, str] | Sequence[tuple[str, str]],
    body: bytes,
    keys: Mapping[str, PublicKey],
    *,
    max_age: int = 300,
    now: float | None = None,
) -> str:
    """Verify a signed message (a webhook delivery); return the key id, or raise SignatureError."""
    header_map = httpx.Headers(headers)
    raw_input = header_map.get("signature-input")
    raw_signature = header_map.get("signature")
    if not raw_input or not raw_signature:
        raise SignatureError("the message is not signed: signature or signature-input is missing")
    parsed = _INPUT.match(raw_input.split(",")[0] if raw_input.count("=(") > 1 else raw_input)
    signature_match = _SIGNATURE.match(raw_signature.split(",")[0])
    if (
        parsed is None
        or signature_match is None
        or parsed.group("label") != signature_match.group("label")
    ):
        raise SignatureError("malformed signature or signature-input header")
    components = re.findall(r'"([^"]+)"', parsed.group("components"))
    params = {k: v.strip('"') for k, v in _PARAM.findall(parsed.group("params"))}
    key = keys.get(params.get("keyid", ""))
    if key is None:
        raise SignatureError(f"unknown key id {params.get('keyid')!r}")
    moment = time.time() if now is None else now
    if "created" not in params:
        raise SignatureError("the signature has no created timestamp, so its age cannot be checked")
    if int(params["created"]) > moment + 60:
        raise SignatureError("the signature was created in the future")
    if int(params["created"]) < moment - max_age:
        raise SignatureError("the signature is too old")
    if "expires" in params and int(params["expires"]) < moment:
        raise SignatureError("the signature has expired")
    if body:
        if "content-digest" not in components:
            raise SignatureError("the body is not covered by the signature (no content-digest)")
        if header_map.get("content-digest", "").strip() != content_digest(body):
            raise SignatureError("content-digest does not match the body")
    target = httpx.URL(url)
    values: dict[str, str] = {}
    for name in components:
        value = _component_value(name, method, target, header_map)
        if value is None:
            raise SignatureError(f"covered component {name!r} is missing from the message")
        values[name] = value
    params_text = parsed.group(0).split("=", 1)[1].strip()
    signature = base64.b64decode(signature_match.group("value"))
    if not _verify_bytes(key, signature, _signature_base(components, values, params_text)):
        raise SignatureError("the signature does not verify")
    return str(params.get("keyid", ""))
