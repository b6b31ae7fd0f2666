"""An independent verifier of HTTP message signatures in Upvest's scheme version 15.

Upvest's version-15 scheme follows draft-ietf-httpbis-message-signatures-15. This module is written from the
draft's rules (sections 2 and 3.2) and RFC 8941 (structured fields) and deliberately shares no code with any signer
-- in particular none with the signer of the generated client -- so that a test which signs with the client and
verifies here checks the client against the draft, not against itself.

Public API (verifier):

* ``content_digest(body)`` -- ``sha-512=:<base64>:`` of the exact body bytes.
* ``verify_request(method, url, headers, body, public_keys, ...)`` -- verifies one request, returning a
  ``VerifiedSignature`` or raising ``SignatureError`` whose ``reason`` says what is wrong.
* ``signature_base(method, url, headers, components, signature_params)`` -- the signature base (for debugging and
  known-answer tests).
* ``jwk_from_public_key`` / ``public_key_from_jwk`` -- JWK conversion of EC (P-256/P-384/P-521) and Ed25519 keys.

At the bottom, in a clearly separated section, is ``sign_request``: a TEST-ONLY signer used to produce webhook
deliveries and to test this verifier. It builds its signature base with its own code, not the verifier's.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Union
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

PublicKey = Union[ec.EllipticCurvePublicKey, ed25519.Ed25519PublicKey]
PrivateKey = Union[ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey]

__all__ = [
    "PublicKey",
    "PrivateKey",
    "SignatureError",
    "VerifiedSignature",
    "content_digest",
    "verify_request",
    "signature_base",
    "jwk_from_public_key",
    "public_key_from_jwk",
    "sign_request",
    "UPVEST_HEADER_COMPONENTS",
]

CLOCK_SKEW = 60
"""Seconds a ``created`` timestamp may lie in the future (clock skew between signer and verifier)."""


class SignatureError(Exception):
    """The request's signature is missing, malformed, stale or wrong; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VerifiedSignature:
    """What a successfully verified signature covered and declared."""

    label: str
    keyid: str
    components: tuple[str, ...]
    created: int
    expires: int | None
    nonce: str | None
    alg: str | None = None
    signature_base: str = field(default="", repr=False)


# ---------------------------------------------------------------------------------------------------------------
# Content-Digest (draft-ietf-httpbis-digest-headers)
# ---------------------------------------------------------------------------------------------------------------

_DIGEST_ALGORITHMS = {"sha-512": hashlib.sha512, "sha-256": hashlib.sha256}


def content_digest(body: bytes) -> str:
    """The ``content-digest`` header value for ``body``: ``sha-512=:<base64 of SHA-512(body)>:``."""
    return "sha-512=:" + base64.b64encode(hashlib.sha512(body).digest()).decode("ascii") + ":"


def _check_content_digest(value: str, body: bytes) -> None:
    try:
        members = _SFParser(value).parse_dictionary()
    except _SFError as exc:
        raise SignatureError(f"content-digest is not a structured-field dictionary: {exc}") from None
    seen_sha512 = False
    for name, member in members.items():
        if name not in _DIGEST_ALGORITHMS:
            continue  # unknown algorithms are ignored, as the digest draft allows
        if not isinstance(member.value, bytes):
            raise SignatureError(f"content-digest {name} is not a byte sequence")
        if member.value != _DIGEST_ALGORITHMS[name](body).digest():
            raise SignatureError(f"content-digest {name} does not match the body")
        seen_sha512 = seen_sha512 or name == "sha-512"
    if not seen_sha512:
        raise SignatureError("content-digest has no sha-512 entry")


# ---------------------------------------------------------------------------------------------------------------
# RFC 8941 structured fields: just enough to parse dictionaries with items and inner lists, keeping the raw text
# ---------------------------------------------------------------------------------------------------------------


class _SFError(ValueError):
    pass


@dataclass
class _Token:
    value: str


@dataclass
class _Member:
    value: Any  # bare item (int, float, str, _Token, bytes, bool) or list[_Member] for an inner list
    params: dict[str, Any]
    raw: str  # the exact text of the member value, parameters included
    is_inner_list: bool = False


_KEY_FIRST = set("abcdefghijklmnopqrstuvwxyz*")
_KEY_REST = _KEY_FIRST | set("0123456789_-.")
_TCHAR = set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_B64_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")


class _SFParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _skip(self, chars: str) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1

    def parse_dictionary(self) -> dict[str, _Member]:
        result: dict[str, _Member] = {}
        self._skip(" ")
        if self.pos >= len(self.text):
            return result
        while True:
            name = self._key()
            if self._peek() == "=":
                self.pos += 1
                member = self._item_or_inner_list()
            else:
                start = self.pos
                params = self._params()
                member = _Member(True, params, self.text[start : self.pos])
            if name in result:
                raise _SFError(f"duplicate dictionary key {name!r}")
            result[name] = member
            self._skip(" \t")
            if self.pos >= len(self.text):
                return result
            if self._peek() != ",":
                raise _SFError(f"expected ',' at offset {self.pos}")
            self.pos += 1
            self._skip(" \t")
            if self.pos >= len(self.text):
                raise _SFError("trailing comma")

    def _item_or_inner_list(self) -> _Member:
        start = self.pos
        if self._peek() == "(":
            self.pos += 1
            items: list[_Member] = []
            while True:
                self._skip(" ")
                if self._peek() == ")":
                    self.pos += 1
                    break
                if self.pos >= len(self.text):
                    raise _SFError("unterminated inner list")
                item_start = self.pos
                value = self._bare_item()
                params = self._params()
                items.append(_Member(value, params, self.text[item_start : self.pos]))
                if self._peek() not in (" ", ")"):
                    raise _SFError(f"expected ' ' or ')' in inner list at offset {self.pos}")
            params = self._params()
            return _Member(items, params, self.text[start : self.pos], is_inner_list=True)
        value = self._bare_item()
        params = self._params()
        return _Member(value, params, self.text[start : self.pos])

    def _params(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        while self._peek() == ";":
            self.pos += 1
            self._skip(" ")
            name = self._key()
            value: Any = True
            if self._peek() == "=":
                self.pos += 1
                value = self._bare_item()
            if name in params:
                raise _SFError(f"duplicate parameter {name!r}")
            params[name] = value
        return params

    def _key(self) -> str:
        if self._peek() not in _KEY_FIRST or not self._peek():
            raise _SFError(f"invalid key at offset {self.pos}")
        start = self.pos
        self.pos += 1
        while self._peek() and self._peek() in _KEY_REST:
            self.pos += 1
        return self.text[start : self.pos]

    def _bare_item(self) -> Any:
        char = self._peek()
        if not char:
            raise _SFError("unexpected end of input")
        if char == "-" or char.isdigit():
            return self._number()
        if char == '"':
            return self._string()
        if char == ":":
            return self._byte_sequence()
        if char == "?":
            return self._boolean()
        if char == "*" or ("a" <= char.lower() <= "z"):
            return self._token()
        raise _SFError(f"invalid item at offset {self.pos}")

    def _number(self) -> int | float:
        match = re.compile(r"-?[0-9]+(\.[0-9]+)?").match(self.text, self.pos)
        if match is None:
            raise _SFError(f"invalid number at offset {self.pos}")
        text = match.group(0)
        self.pos = match.end()
        if match.group(1):
            whole, frac = text.lstrip("-").split(".")
            if len(whole) > 12 or len(frac) > 3:
                raise _SFError("decimal out of range")
            return float(text)
        if len(text.lstrip("-")) > 15:
            raise _SFError("integer out of range")
        return int(text)

    def _string(self) -> str:
        self.pos += 1
        out: list[str] = []
        while True:
            if self.pos >= len(self.text):
                raise _SFError("unterminated string")
            char = self.text[self.pos]
            self.pos += 1
            if char == "\\":
                if self.pos >= len(self.text) or self.text[self.pos] not in '"\\':
                    raise _SFError("invalid escape in string")
                out.append(self.text[self.pos])
                self.pos += 1
            elif char == '"':
                return "".join(out)
            elif not (0x20 <= ord(char) <= 0x7E):
                raise _SFError("invalid character in string")
            else:
                out.append(char)

    def _byte_sequence(self) -> bytes:
        end = self.text.find(":", self.pos + 1)
        if end < 0:
            raise _SFError("unterminated byte sequence")
        encoded = self.text[self.pos + 1 : end]
        if not set(encoded) <= _B64_CHARS:
            raise _SFError("invalid base64 in byte sequence")
        self.pos = end + 1
        try:
            return base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise _SFError(f"invalid base64 in byte sequence: {exc}") from None

    def _boolean(self) -> bool:
        value = self.text[self.pos + 1 : self.pos + 2]
        if value not in ("0", "1"):
            raise _SFError("invalid boolean")
        self.pos += 2
        return value == "1"

    def _token(self) -> _Token:
        start = self.pos
        self.pos += 1
        while self._peek() and (self._peek() in _TCHAR or self._peek() in ":/"):
            self.pos += 1
        return _Token(self.text[start : self.pos])


# ---------------------------------------------------------------------------------------------------------------
# Headers and derived components
# ---------------------------------------------------------------------------------------------------------------

HeaderInput = Union[Mapping[str, str], Iterable[tuple[str, str]], Any]


def _header_lists(headers: HeaderInput) -> dict[str, list[str]]:
    """Header name (lowercase) -> every value in order; accepts dicts, httpx.Headers, email Messages, pairs."""
    if hasattr(headers, "multi_items"):  # httpx.Headers
        pairs = list(headers.multi_items())
    elif hasattr(headers, "items") and hasattr(headers, "get_all"):  # email.message.Message (http.server)
        pairs = list(headers.items())
    elif isinstance(headers, Mapping):
        pairs = list(headers.items())
    else:
        pairs = list(headers)
    result: dict[str, list[str]] = {}
    for name, value in pairs:
        if isinstance(name, bytes):
            name = name.decode("latin-1")
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        result.setdefault(name.lower(), []).append(value)
    return result


_OBS_FOLD = re.compile(r"\r?\n[ \t]+")


def _field_value(values: list[str]) -> str:
    """Draft-15 section 2.1: each value stripped, obs-fold replaced by a space, joined with ', '."""
    return ", ".join(_OBS_FOLD.sub(" ", value).strip(" \t") for value in values)


def _split_url(url: str) -> tuple[str, str, str, str | None]:
    """(scheme, authority, path, query-or-None) of the target URI, path and query kept exactly as sent."""
    parts = urlsplit(url)
    without_fragment = url.split("#", 1)[0]
    query = without_fragment.split("?", 1)[1] if "?" in without_fragment else None
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    default_port = {"http": 80, "https": 443}.get(parts.scheme.lower())
    authority = host if port is None or port == default_port else f"{host}:{port}"
    return parts.scheme.lower(), authority, parts.path, query


def _component_value(name: str, method: str, url: str, headers: dict[str, list[str]]) -> str:
    scheme, authority, path, query = _split_url(url)
    if name.startswith("@"):
        if name == "@method":
            return method.upper()
        if name == "@path":
            return path or "/"
        if name == "@query":
            if not query:
                raise SignatureError("@query is covered but the request has no query string")
            return "?" + query
        if name == "@authority":
            return authority
        if name == "@target-uri":
            return url
        if name == "@scheme":
            return scheme
        if name == "@request-target":
            return (path or "/") + ("?" + query if query else "")
        raise SignatureError(f"unsupported derived component {name!r}")
    if name not in headers:
        raise SignatureError(f"covered header {name!r} is missing from the request")
    return _field_value(headers[name])


def signature_base(
    method: str,
    url: str,
    headers: HeaderInput,
    components: Iterable[str],
    signature_params: str,
) -> str:
    """The signature base of draft-15 section 2.5 for the given covered component names and params text."""
    header_lists = _header_lists(headers)
    lines = [f'"{name}": {_component_value(name, method, url, header_lists)}' for name in components]
    lines.append(f'"@signature-params": {signature_params}')
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------------
# Keys and algorithms
# ---------------------------------------------------------------------------------------------------------------

_EC_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "secp256r1": hashes.SHA256,
    "secp384r1": hashes.SHA384,
    "secp521r1": hashes.SHA512,
}
_EC_ALGS = {"secp256r1": "ecdsa-p256-sha256", "secp384r1": "ecdsa-p384-sha384", "secp521r1": "ecdsa-p521-sha512"}


def _verify_with_key(key: Any, signature: bytes, base: bytes, alg: str | None) -> None:
    if isinstance(key, ed25519.Ed25519PublicKey):
        if alg is not None and alg != "ed25519":
            raise SignatureError(f"alg {alg!r} does not match the Ed25519 key")
        if len(signature) != 64:
            raise SignatureError(f"Ed25519 signature must be 64 bytes, got {len(signature)}")
        try:
            key.verify(signature, base)
        except InvalidSignature:
            raise SignatureError("signature does not verify") from None
        return
    if isinstance(key, ec.EllipticCurvePublicKey):
        curve = key.curve.name
        if curve not in _EC_HASHES:
            raise SignatureError(f"unsupported curve {curve}")
        if alg is not None and alg != _EC_ALGS[curve]:
            raise SignatureError(f"alg {alg!r} does not match the {curve} key")
        size = (key.curve.key_size + 7) // 8
        try:
            decode_dss_signature(signature)
            der = signature
        except ValueError:
            if len(signature) != 2 * size:
                raise SignatureError("ECDSA signature is neither DER nor raw r||s of the curve's size") from None
            r = int.from_bytes(signature[:size], "big")
            s = int.from_bytes(signature[size:], "big")
            der = encode_dss_signature(r, s)
        try:
            key.verify(der, base, ec.ECDSA(_EC_HASHES[curve]()))
        except InvalidSignature:
            raise SignatureError("signature does not verify") from None
        return
    raise SignatureError(f"unsupported key type {type(key).__name__}")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_JWK_CURVES = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1}
_JWK_CURVE_NAMES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}


def jwk_from_public_key(key: PublicKey, kid: str) -> dict[str, str]:
    """A JWK ({kid, kty, crv, x, y} for EC, {kid, kty: OKP, crv: Ed25519, x} for Ed25519), base64url unpadded."""
    from cryptography.hazmat.primitives import serialization

    if isinstance(key, ec.EllipticCurvePublicKey):
        numbers = key.public_numbers()
        size = (key.curve.key_size + 7) // 8
        return {
            "kid": kid,
            "kty": "EC",
            "crv": _JWK_CURVE_NAMES[key.curve.name],
            "x": _b64url(numbers.x.to_bytes(size, "big")),
            "y": _b64url(numbers.y.to_bytes(size, "big")),
        }
    if isinstance(key, ed25519.Ed25519PublicKey):
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kid": kid, "kty": "OKP", "crv": "Ed25519", "x": _b64url(raw)}
    raise TypeError(f"unsupported key type {type(key).__name__}")


def public_key_from_jwk(jwk: Mapping[str, str]) -> PublicKey:
    """The public key of a JWK made by jwk_from_public_key (or by Upvest's /auth/verify_keys)."""
    if jwk.get("kty") == "EC" and jwk.get("crv") in _JWK_CURVES:
        x = int.from_bytes(_unb64url(jwk["x"]), "big")
        y = int.from_bytes(_unb64url(jwk["y"]), "big")
        return ec.EllipticCurvePublicNumbers(x, y, _JWK_CURVES[jwk["crv"]]()).public_key()
    if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
        return ed25519.Ed25519PublicKey.from_public_bytes(_unb64url(jwk["x"]))
    raise ValueError(f"unsupported JWK kty={jwk.get('kty')!r} crv={jwk.get('crv')!r}")


# ---------------------------------------------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------------------------------------------

_COMPONENT_NAME = re.compile(r"^@?[a-z0-9!#$%&'*+.^_`|~-]+$")


def verify_request(
    method: str,
    url: str,
    headers: HeaderInput,
    body: bytes,
    public_keys: Mapping[str, PublicKey],
    *,
    now: int | None = None,
    required_components: Iterable[str] = (),
    max_age: int = 300,
    label: str | None = None,
    require_expires: bool = True,
    require_content_digest: bool = True,
) -> VerifiedSignature:
    """Verify the HTTP message signature of one request (Upvest scheme 15 / draft-15); raise SignatureError.

    ``url`` is the full target URI as sent (path and query percent-encoded as on the wire). ``headers`` may be a
    case-insensitive mapping, a plain dict (names in any case), an ``email.message.Message`` or a list of pairs;
    repeated headers are joined with ", ". ``label`` picks the signature (default: the only one, else ``sig1``).
    ``require_expires`` / ``require_content_digest`` exist only so the draft's own examples (which have neither)
    can be checked; the Upvest profile keeps both True.
    """
    now = int(time.time()) if now is None else int(now)
    header_lists = _header_lists(headers)

    if "signature-input" not in header_lists:
        raise SignatureError("missing signature-input header")
    if "signature" not in header_lists:
        raise SignatureError("missing signature header")
    try:
        inputs = _SFParser(", ".join(header_lists["signature-input"])).parse_dictionary()
    except _SFError as exc:
        raise SignatureError(f"malformed signature-input: {exc}") from None
    try:
        signatures = _SFParser(", ".join(header_lists["signature"])).parse_dictionary()
    except _SFError as exc:
        raise SignatureError(f"malformed signature: {exc}") from None

    if label is None:
        if len(inputs) == 1:
            label = next(iter(inputs))
        elif "sig1" in inputs:
            label = "sig1"
        else:
            raise SignatureError(f"several signatures ({', '.join(inputs)}) and none is labelled sig1")
    if label not in inputs:
        raise SignatureError(f"signature-input has no signature labelled {label!r}")
    if label not in signatures:
        raise SignatureError(f"signature header has no signature labelled {label!r}")

    member = inputs[label]
    if not member.is_inner_list:
        raise SignatureError("signature-input member is not an inner list")
    sig_member = signatures[label]
    if sig_member.is_inner_list or not isinstance(sig_member.value, bytes):
        raise SignatureError("signature member is not a byte sequence")
    signature = sig_member.value

    components: list[str] = []
    for item in member.value:
        if not isinstance(item.value, str):
            raise SignatureError(f"covered component {item.raw!r} is not a string")
        if item.params:
            raise SignatureError(f"component parameters are not supported ({item.raw})")
        name = item.value
        if not _COMPONENT_NAME.match(name):
            raise SignatureError(f"invalid component name {name!r} (names must be lowercase)")
        if name in components:
            raise SignatureError(f"component {name!r} is covered twice")
        if name == "@signature-params":
            raise SignatureError("@signature-params must not be listed as a covered component")
        components.append(name)

    params = member.params
    for name, kind in (("created", int), ("expires", int), ("keyid", str), ("nonce", str), ("alg", str)):
        if name in params and (not isinstance(params[name], kind) or isinstance(params[name], bool)):
            raise SignatureError(f"signature parameter {name} has the wrong type")

    keyid = params.get("keyid")
    if keyid is None:
        raise SignatureError("signature-input has no keyid")
    if keyid not in public_keys:
        raise SignatureError(f"unknown keyid {keyid!r}")
    created = params.get("created")
    if created is None:
        raise SignatureError("signature-input has no created timestamp")
    if created > now + CLOCK_SKEW:
        raise SignatureError(f"created {created} lies in the future (now {now})")
    if now - created > max_age:
        raise SignatureError(f"signature is too old: created {now - created} s ago, max {max_age} s")
    expires = params.get("expires")
    if expires is None:
        if require_expires:
            raise SignatureError("signature-input has no expires timestamp")
    else:
        if expires < created:
            raise SignatureError("expires lies before created")
        if expires < now:
            raise SignatureError(f"signature expired at {expires} (now {now})")

    for name in required_components:
        if name.lower() not in components:
            raise SignatureError(f"required component {name!r} is not covered")
    if body and require_content_digest and "content-digest" not in components:
        raise SignatureError("the request has a body but content-digest is not covered")
    if "content-digest" in header_lists:
        _check_content_digest(_field_value(header_lists["content-digest"]), body)
    elif body and require_content_digest:
        raise SignatureError("the request has a body but no content-digest header")
    if "content-length" in header_lists:
        declared = _field_value(header_lists["content-length"])
        if declared != str(len(body)):
            raise SignatureError(f"content-length {declared} does not match the body ({len(body)} bytes)")

    base = signature_base(method, url, _pairs(header_lists), components, member.raw)
    _verify_with_key(public_keys[keyid], signature, base.encode("utf-8"), params.get("alg"))
    return VerifiedSignature(
        label=label,
        keyid=keyid,
        components=tuple(components),
        created=created,
        expires=expires,
        nonce=params.get("nonce"),
        alg=params.get("alg"),
        signature_base=base,
    )


def _pairs(header_lists: Mapping[str, list[str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, values in header_lists.items() for value in values]


# ===============================================================================================================
# TEST-ONLY SIGNER -- not part of the verifier.
#
# Used only to produce webhook deliveries from the fake server and to exercise the verifier in its own tests.
# It builds the signature base with its own, deliberately simple code (nothing above is reused), so that the
# verifier's tests compare two independent readings of the draft. Never use it to "check" the generated client.
# ===============================================================================================================

UPVEST_HEADER_COMPONENTS = (
    "accept",
    "authorization",
    "content-length",
    "content-type",
    "content-digest",
    "idempotency-key",
    "upvest-client-id",
)
"""Header components Upvest's profile covers whenever the request carries them."""


def sign_request(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes = b"",
    *,
    private_key: PrivateKey,
    keyid: str,
    components: Iterable[str] | None = None,
    created: int | None = None,
    expires: int | None = None,
    expires_in: int = 30,
    nonce: str | None = None,
    label: str = "sig1",
    alg: str | None = None,
    raw_ecdsa: bool = False,
    add_content_digest: bool = True,
    add_content_length: bool = False,
) -> dict[str, str]:
    """TEST-ONLY signer: return ``headers`` (names lowercased) plus signature headers (and content-digest).

    Not for the generated client and not shared with the verifier. Defaults follow Upvest's profile: covers
    ``@method``, ``@path``, ``@query`` (when the URL has a query) and every header of UPVEST_HEADER_COMPONENTS the
    request carries; ``content-digest`` (and with ``add_content_length`` ``content-length``) is added for a
    non-empty body. ``expires`` defaults to ``created + expires_in``; ``nonce`` to a random string (pass ``""`` to
    leave it out). ECDSA signatures are DER unless ``raw_ecdsa`` (then r||s, fixed size).
    """
    out = {name.lower(): value for name, value in headers.items()}
    if body and add_content_digest and "content-digest" not in out:
        out["content-digest"] = "sha-512=:" + base64.b64encode(hashlib.sha512(body).digest()).decode() + ":"
    if add_content_length and "content-length" not in out:
        out["content-length"] = str(len(body))

    rest = url.split("://", 1)[1] if "://" in url else url
    slash = rest.find("/")
    target = rest[slash:] if slash >= 0 else "/"
    target = target.split("#", 1)[0]
    path, _, query = target.partition("?")

    if components is None:
        names = ["@method", "@path"] + (["@query"] if query else [])
        names += [name for name in UPVEST_HEADER_COMPONENTS if name in out]
    else:
        names = list(components)

    created = int(time.time()) if created is None else created
    if expires is None:
        expires = created + expires_in
    if nonce is None:
        nonce = secrets.token_hex(16)
    params = "(" + " ".join(f'"{name}"' for name in names) + ")"
    params += f';keyid="{keyid}";created={created}'
    if expires is not None:
        params += f";expires={expires}"
    if nonce:
        params += f';nonce="{nonce}"'
    if alg:
        params += f';alg="{alg}"'

    lines = []
    for name in names:
        if name == "@method":
            value = method.upper()
        elif name == "@path":
            value = path or "/"
        elif name == "@query":
            value = "?" + query
        elif name == "@authority":
            value = rest[:slash].lower() if slash >= 0 else rest.lower()
        elif name == "@target-uri":
            value = url
        else:
            value = out[name].strip()
        lines.append(f'"{name}": {value}')
    lines.append(f'"@signature-params": {params}')
    base = "\n".join(lines).encode()

    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        signature = private_key.sign(base)
    else:
        digest = {256: hashes.SHA256, 384: hashes.SHA384, 521: hashes.SHA512}[private_key.curve.key_size]
        signature = private_key.sign(base, ec.ECDSA(digest()))
        if raw_ecdsa:
            size = (private_key.curve.key_size + 7) // 8
            r, s = decode_dss_signature(signature)
            signature = r.to_bytes(size, "big") + s.to_bytes(size, "big")

    out["signature-input"] = f"{label}={params}"
    out["signature"] = f"{label}=:{base64.b64encode(signature).decode()}:"
    return out
