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


# -- RFC 8941 structured fields, as the signature headers use them ---------------------------------------------


class _Token(str):
    """A structured-field token (written bare, unlike a string)."""


#: a member's value (a bare item, or an inner list of (item, parameters)) and its parameters
_Member = tuple[Any, dict[str, Any]]


class _Fields:
    """Reads an RFC 8941 dictionary (`sig1=("@method" "@path");keyid="k";created=1`, `sig1=:Ym9keQ==:`);
    anything it does not allow raises SignatureError."""

    _KEY = re.compile(r"[a-z*][a-z0-9_.*-]*")
    _INTEGER = re.compile(r"-?[0-9]{1,15}(?![0-9.])")
    _DECIMAL = re.compile(r"-?[0-9]{1,12}\.[0-9]{1,3}(?![0-9])")
    _TOKEN = re.compile(r"[A-Za-z*][!#$%&'*+.^_`|~:/A-Za-z0-9-]*")
    _BYTES = re.compile(r":([A-Za-z0-9+/=]*):")

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0

    def dictionary(self) -> dict[str, _Member]:
        members: dict[str, _Member] = {}
        self._skip(" \t")
        while self.at < len(self.text):
            key = self._match(self._KEY, "a key")
            if self._next("="):
                value: Any = self._inner_list() if self._peek() == "(" else self._item()
            else:
                value = True
            members[key] = (value, self._parameters())
            self._skip(" \t")
            if self.at >= len(self.text):
                break
            if not self._next(","):
                raise SignatureError(f"malformed structured field at column {self.at + 1}")
            self._skip(" \t")
            if self.at >= len(self.text):
                raise SignatureError("malformed structured field: it ends with a comma")
        return members

    def _inner_list(self) -> list[_Member]:
        self.at += 1  # "("
        items: list[_Member] = []
        while True:
            self._skip(" ")
            if self._next(")"):
                return items
            if items and self.text[self.at - 1] != " ":
                raise SignatureError("malformed inner list: items need a space between them")
            items.append((self._item(), self._parameters()))
            if self.at >= len(self.text):
                raise SignatureError("malformed inner list: no closing parenthesis")

    def _parameters(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        while self._next(";"):
            self._skip(" ")
            key = self._match(self._KEY, "a parameter name")
            found[key] = self._item() if self._next("=") else True
        return found

    def _item(self) -> Any:
        char = self._peek()
        if char == '"':
            return self._string()
        if char == ":":
            value = self._match(self._BYTES, "a byte sequence")[1:-1]
            if "=" not in value:  # RFC 8941: a parser should not fail on missing padding
                value += "=" * (-len(value) % 4)
            try:
                return base64.b64decode(value, validate=True)
            except ValueError:
                raise SignatureError("malformed byte sequence in a structured field") from None
        if char == "?":
            flag = self.text[self.at : self.at + 2]
            if flag not in ("?0", "?1"):
                raise SignatureError("malformed boolean in a structured field")
            self.at += 2
            return flag == "?1"
        if char == "-" or char.isdigit():
            decimal = self._DECIMAL.match(self.text, self.at)
            if decimal:
                self.at = decimal.end()
                return float(decimal.group())
            return int(self._match(self._INTEGER, "an integer"))
        return _Token(self._match(self._TOKEN, "an item"))

    def _string(self) -> str:
        self.at += 1
        out: list[str] = []
        while self.at < len(self.text):
            char = self.text[self.at]
            self.at += 1
            if char == "\\":
                escaped = self.text[self.at : self.at + 1]
                if escaped not in ('"', "\\"):
                    raise SignatureError("malformed string in a structured field: a bad escape")
                out.append(escaped)
                self.at += 1
            elif char == '"':
                return "".join(out)
            elif not " " <= char <= "~":
                raise SignatureError(
                    "malformed string in a structured field: a character it cannot hold"
                )
            else:
                out.append(char)
        raise SignatureError("malformed string in a structured field: no closing quote")

    def _match(self, pattern: re.Pattern[str], what: str) -> str:
        found = pattern.match(self.text, self.at)
        if found is None:
            raise SignatureError(
                f"malformed structured field: expected {what} at column {self.at + 1}"
            )
        self.at = found.end()
        return found.group()

    def _peek(self) -> str:
        return self.text[self.at : self.at + 1]

    def _next(self, char: str) -> bool:
        if self._peek() == char:
            self.at += 1
            return True
        return False

    def _skip(self, chars: str) -> None:
        while self.at < len(self.text) and self.text[self.at] in chars:
            self.at += 1


def _serialize_item(value: Any) -> str:
    """An RFC 8941 bare item: a string quoted and escaped (printable ASCII only), a token bare, and so on."""
    if isinstance(value, bool):
        return "?1" if value else "?0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.3f}".rstrip("0")
        return text + "0" if text.endswith(".") else text
    if isinstance(value, bytes):
        return f":{base64.b64encode(value).decode('ascii')}:"
    if isinstance(value, _Token):
        return str(value)
    text = str(value)
    if not all(" " <= char <= "~" for char in text):
        raise SignatureError("a structured-field string holds printable ASCII only")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _serialize_parameters(parameters: Mapping[str, Any]) -> str:
    return "".join(
        f";{name}" if value is True else f";{name}={_serialize_item(value)}"
        for name, value in parameters.items()
    )


def _serialize_inner_list(items: Sequence[_Member], parameters: Mapping[str, Any]) -> str:
    inner = " ".join(_serialize_item(item) + _serialize_parameters(ps) for item, ps in items)
    return f"({inner}){_serialize_parameters(parameters)}"


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

    def __post_init__(self) -> None:
        if not self.key_id or not all(" " <= char <= "~" for char in self.key_id):
            raise SignatureError(
                "the key id must be printable ASCII (a structured-field string holds nothing else)"
            )

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
        parameters = {
            "keyid": self.key_id,
            "created": created,
            "expires": created + self.expires_in,
            "nonce": nonce,
        }
        params = _serialize_inner_list([(name, {}) for name in covered], parameters)
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
    label: str | None = None,
) -> str:
    """Verify a signed message (a webhook delivery); return the key id, or raise SignatureError, whatever is
    wrong with it. Every signature the message carries must verify (`label`: only the one of that label, which
    must be there); a content digest, when the signature covers one, must be the body's (an empty body too).
    """
    try:  # as web frameworks hand them over: text beyond ASCII (a latin-1 `user-agent`) taken as its UTF-8 bytes
        pairs = (
            headers.multi_items()
            if isinstance(headers, httpx.Headers)
            else headers.items() if isinstance(headers, Mapping) else headers
        )
        header_map = httpx.Headers(
            [
                (
                    k.encode("utf-8") if isinstance(k, str) else bytes(k),
                    v.encode("utf-8") if isinstance(v, str) else bytes(v),
                )
                for k, v in pairs
            ]
        )
        httpx.URL(url)
    except (UnicodeError, TypeError, ValueError, httpx.InvalidURL) as exc:
        raise SignatureError(f"malformed headers or URL: {type(exc).__name__}") from None
    raw_input = header_map.get("signature-input")
    raw_signature = header_map.get("signature")
    if not raw_input or not raw_signature:
        raise SignatureError("the message is not signed: signature or signature-input is missing")
    inputs = _Fields(raw_input).dictionary()
    signatures = _Fields(raw_signature).dictionary()
    labels = [label] if label is not None else list(inputs)
    if not labels:
        raise SignatureError("the message is not signed: signature-input names no signature")
    moment = time.time() if now is None else now
    key_ids = [
        _verify_one(name, inputs, signatures, method, url, header_map, body, keys, max_age, moment)
        for name in labels
    ]
    return key_ids[0]


def _verify_one(
    label: str,
    inputs: Mapping[str, _Member],
    signatures: Mapping[str, _Member],
    method: str,
    url: str | httpx.URL,
    header_map: httpx.Headers,
    body: bytes,
    keys: Mapping[str, PublicKey],
    max_age: int,
    moment: float,
) -> str:
    if label not in inputs or label not in signatures:
        raise SignatureError(f"no signature labelled {label!r} in signature-input and signature")
    covered, params = inputs[label]
    signature = signatures[label][0]
    if not isinstance(covered, list) or not isinstance(signature, bytes):
        raise SignatureError(f"malformed signature or signature-input header (label {label!r})")
    components: list[str] = []
    for item, item_params in covered:
        if not isinstance(item, str) or isinstance(item, _Token) or item_params:
            raise SignatureError("a covered component this verifier does not support")
        if item in components:
            raise SignatureError(f"the component {item!r} is covered twice")
        components.append(item)
    key_id = params.get("keyid")
    key = keys.get(key_id) if isinstance(key_id, str) and not isinstance(key_id, _Token) else None
    if key is None:
        raise SignatureError(f"unknown key id {key_id!r}")
    created, expires = params.get("created"), params.get("expires", 0)
    if not isinstance(created, int) or isinstance(created, bool):
        raise SignatureError("the signature has no created timestamp, so its age cannot be checked")
    if not isinstance(expires, int) or isinstance(expires, bool):
        raise SignatureError("the signature's expires is not a timestamp")
    if created > moment + 60:
        raise SignatureError("the signature was created in the future")
    if created < moment - max_age:
        raise SignatureError("the signature is too old")
    if "expires" in params and expires < moment:
        raise SignatureError("the signature has expired")
    if body and "content-digest" not in components:
        raise SignatureError("the body is not covered by the signature (no content-digest)")
    if "content-digest" in components:
        _check_digest(header_map.get("content-digest", ""), body)
    target = httpx.URL(url)
    values: dict[str, str] = {}
    for name in components:
        value = _component_value(name, method, target, header_map)
        if value is None:
            raise SignatureError(f"covered component {name!r} is missing from the message")
        values[name] = value
    base = _signature_base(components, values, _serialize_inner_list(covered, params))
    if not _verify_bytes(key, signature, base):
        raise SignatureError("the signature does not verify")
    return key_id  # type: ignore[return-value]


def _check_digest(header: str, body: bytes) -> None:
    """The content-digest header's SHA-512 entry must be the digest of `body`, empty or not."""
    digests = _Fields(header).dictionary() if header else {}
    sha512 = digests.get("sha-512", (None, {}))[0]
    if not isinstance(sha512, bytes):
        raise SignatureError("content-digest has no sha-512 entry")
    if sha512 != hashlib.sha512(body).digest():
        raise SignatureError("content-digest does not match the body")
