"""Unit tests of the generated Upvest client's runtime modules (no server, fast).

Covers _retry (backoff, Retry-After, deadline), _auth (scope choice, token cache), and _signing (content digest,
signer, key loading, JWKs, message verification). Signatures the client makes are checked with the INDEPENDENT
verifier of tests/support/signing_verifier.py; deliveries the client verifies are made with that module's TEST-ONLY signer.
"""

from __future__ import annotations

import asyncio
import base64
import email.utils
import importlib
import logging
import math
import threading
import time
import traceback
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

import signing_verifier as independent

pytestmark = pytest.mark.usefixtures("upvest_client_path")

KEY_ID = "e1a7c3d2-7b8f-4e5a-9c0d-1f2e3a4b5c6d"
CLIENT_ID = "b23d470f-1610-47ae-905e-c7e120fe3990"
TOKEN = "tok-3f9a1c77"


@pytest.fixture(scope="module")
def rt(upvest_client_path: Path) -> SimpleNamespace:
    name = "upvest_investment_client"
    return SimpleNamespace(
        retry=importlib.import_module(f"{name}._retry"),
        auth=importlib.import_module(f"{name}._auth"),
        signing=importlib.import_module(f"{name}._signing"),
        base=importlib.import_module(f"{name}._base_client"),
    )


# --------------------------------------------------------------------------------------------------
# RetryPolicy
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attempt,low,high",
    [(1, 0.25, 0.5), (2, 0.5, 1.0), (3, 1.0, 2.0), (4, 2.0, 4.0), (5, 4.0, 8.0), (6, 4.0, 8.0), (12, 4.0, 8.0)],
)
def test_backoff_bounds_and_full_jitter(rt: SimpleNamespace, attempt: int, low: float, high: float) -> None:
    policy = rt.retry.RetryPolicy(initial_delay=0.5, max_delay=8.0)
    samples = [policy.delay(attempt) for _ in range(400)]
    assert all(low <= s <= high for s in samples), (min(samples), max(samples))
    # jitter: the waits spread over the range instead of clustering on one value
    assert max(samples) - min(samples) > (high - low) * 0.5
    assert len(set(samples)) > 300


def test_retry_after_seconds(rt: SimpleNamespace) -> None:
    policy = rt.retry.RetryPolicy(initial_delay=0.5, max_delay=8.0, max_retry_after=60.0)
    assert policy.delay(1, "3") == 3.0
    assert policy.delay(5, "0") == 0.0
    assert policy.delay(1, " 7 ") == 7.0


def test_retry_after_http_date(rt: SimpleNamespace) -> None:
    policy = rt.retry.RetryPolicy(max_retry_after=60.0)
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28.0 <= policy.delay(1, when) <= 30.0
    past = email.utils.formatdate(time.time() - 3600, usegmt=True)
    assert policy.delay(1, past) == 0.0


@pytest.mark.parametrize("garbage", ["soon", "", "Mon, 99 Foo 2024", "3 seconds", "-"])
def test_retry_after_garbage_falls_back_to_backoff(rt: SimpleNamespace, garbage: str) -> None:
    policy = rt.retry.RetryPolicy(initial_delay=0.5, max_delay=8.0)
    for _ in range(50):
        assert 0.5 <= policy.delay(2, garbage) <= 1.0


@pytest.mark.parametrize("value", ["nan", "NaN"])
def test_retry_after_non_finite_numbers_are_garbage(rt: SimpleNamespace, value: str) -> None:
    policy = rt.retry.RetryPolicy(initial_delay=0.5, max_delay=8.0, max_retry_after=60.0)
    wait = policy.delay(2, value)
    assert math.isfinite(wait) and 0.5 <= wait <= 1.0


def test_retry_after_is_capped_and_never_negative(rt: SimpleNamespace) -> None:
    policy = rt.retry.RetryPolicy(max_retry_after=10.0)
    assert policy.delay(1, "3600") == 10.0
    assert 0.0 < policy.delay(1, "-5") <= policy.initial_delay  # not delay-seconds: ordinary backoff
    far = email.utils.formatdate(time.time() + 86400, usegmt=True)
    assert policy.delay(1, far) == 10.0


def test_allows_counts_retries_and_respects_the_deadline(rt: SimpleNamespace) -> None:
    policy = rt.retry.RetryPolicy(max_retries=2, deadline=1.0)
    now = time.monotonic()
    assert policy.allows(1, now, 0.1)
    assert policy.allows(2, now, 0.1)
    assert not policy.allows(3, now, 0.1)  # attempt 3 was the last of 1 + 2 retries
    assert not policy.allows(1, now, 1.5)  # the wait alone passes the deadline
    assert not policy.allows(1, now - 0.95, 0.1)  # time already spent plus the wait passes it
    assert policy.allows(1, now - 0.5, 0.1)
    unbounded = rt.retry.RetryPolicy(max_retries=2, deadline=None)
    assert unbounded.allows(2, now - 1e6, 1e6)


def test_a_wait_that_ends_at_the_deadline_does_not_fit(rt: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    frozen = SimpleNamespace(monotonic=lambda: 100.0)
    monkeypatch.setattr(rt.retry, "time", frozen)
    policy = rt.retry.RetryPolicy(max_retries=5, deadline=10.0)
    assert policy.allows(1, 95.0, 4.999)
    assert not policy.allows(1, 95.0, 5.0)  # it would end exactly when the call must be over


def test_with_overrides(rt: SimpleNamespace) -> None:
    policy = rt.retry.RetryPolicy(max_retries=3, deadline=120.0)
    assert policy.with_overrides(None, None) == policy
    assert policy.with_overrides(0, None).max_retries == 0
    assert policy.with_overrides(None, 2.5).deadline == 2.5
    # one call's options: a deadline of None there lifts the limit
    assert policy.for_call({}) == policy
    assert policy.for_call({"max_retries": 0}).max_retries == 0
    assert policy.for_call({"deadline": 2.5}).deadline == 2.5
    assert policy.for_call({"deadline": None}).deadline is None
    assert policy.for_call({"timeout": 1.0, "headers": {}}) == policy  # other options change nothing
    assert policy.max_retries == 3  # frozen: overrides make a new policy


@pytest.mark.parametrize(
    "method,has_key,expected",
    [
        ("GET", False, True),
        ("get", False, True),
        ("HEAD", False, True),
        ("OPTIONS", False, True),
        ("PUT", False, True),
        ("DELETE", False, True),
        ("POST", False, False),
        ("PATCH", False, False),
        ("POST", True, True),
        ("PATCH", True, True),
    ],
)
def test_safe_to_repeat(rt: SimpleNamespace, method: str, has_key: bool, expected: bool) -> None:
    assert rt.retry.RetryPolicy.safe_to_repeat(method, has_key) is expected


# --------------------------------------------------------------------------------------------------
# Scopes and the token cache
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "alternatives,expected",
    [
        ((("users:read",), ("users:admin",)), ("users:read",)),
        ((("users:admin",), ("users:read",)), ("users:read",)),  # read wins whatever the order
        ((("orders:admin",),), ("orders:admin",)),
        ((("a:read", "b:read"), ("a:admin",)), ("a:admin",)),  # fewest scopes first
        ((("a:admin", "b:read"), ("a:read", "b:read")), ("a:read", "b:read")),  # then fewer non-read scopes
        ((("a:admin",), ("b:admin",)), ("a:admin",)),  # spec order on ties
        ((("b:read",), ("a:read",)), ("b:read",)),
        ((), ()),
    ],
)
def test_choose_scopes(rt: SimpleNamespace, alternatives: Any, expected: Any) -> None:
    assert rt.auth.choose_scopes(alternatives) == expected


def test_scope_key(rt: SimpleNamespace) -> None:
    assert rt.auth.scope_key(("users:read",)) == "users:read"
    assert rt.auth.scope_key(("users:read", "orders:admin", "users:read")) == "orders:admin users:read"
    assert rt.auth.scope_key(("b", "a")) == rt.auth.scope_key(("a", "b"))
    assert rt.auth.scope_key(()) == ""


class _Fetcher:
    def __init__(self, lifetime: float, pause: float = 0.0) -> None:
        self.lifetime = lifetime
        self.pause = pause
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, key: str) -> tuple[str, float]:
        if self.pause:
            time.sleep(self.pause)
        with self._lock:
            self.calls.append(key)
            return f"token-{len(self.calls)}", self.lifetime

    async def async_call(self, key: str) -> tuple[str, float]:
        await asyncio.sleep(self.pause)
        self.calls.append(key)
        return f"token-{len(self.calls)}", self.lifetime


@pytest.mark.parametrize(
    "lifetime,skew,renew_after",
    [(1800.0, 60.0, 1740.0), (10.0, 60.0, 5.0), (1.0, 0.1, 0.9), (120.0, 60.0, 60.0), (100.0, 0.0, 100.0)],
)
def test_token_cache_refresh_at(
    rt: SimpleNamespace, monkeypatch: pytest.MonkeyPatch, lifetime: float, skew: float, renew_after: float
) -> None:
    monkeypatch.setattr(rt.auth, "time", SimpleNamespace(monotonic=lambda: 5000.0))  # the cache's clock, stopped
    cache = rt.auth.TokenCache(skew)
    assert cache.get("users:read", _Fetcher(lifetime)) == "token-1"
    assert cache._tokens["users:read"].refresh_at == 5000.0 + renew_after


def test_token_cache_reuses_then_renews(rt: SimpleNamespace, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = SimpleNamespace(now=5000.0)
    monkeypatch.setattr(rt.auth, "time", SimpleNamespace(monotonic=lambda: clock.now))  # moved by hand
    cache = rt.auth.TokenCache(refresh_skew=0.0)
    fetch = _Fetcher(0.3)
    assert cache.get("k", fetch) == "token-1"
    clock.now += 0.29
    assert cache.get("k", fetch) == "token-1"
    assert cache.get("other", fetch) == "token-2"  # one token per scope set
    clock.now += 0.01
    assert cache.get("k", fetch) == "token-3"  # renewed when its lifetime is up, not a moment later
    assert fetch.calls == ["k", "other", "k"]


def test_token_cache_invalidates_only_the_refused_token(rt: SimpleNamespace) -> None:
    cache = rt.auth.TokenCache(60.0)
    fetch = _Fetcher(1800.0)
    first = cache.get("k", fetch)
    cache.invalidate("k", "a-token-from-before")  # already replaced: keep the current one
    assert cache.get("k", fetch) == first
    cache.invalidate("other-scope", first)
    assert cache.get("k", fetch) == first
    cache.invalidate("k", first)
    assert cache.get("k", fetch) == "token-2"
    assert len(fetch.calls) == 2


def test_token_cache_repr_hides_tokens(rt: SimpleNamespace) -> None:
    cache = rt.auth.TokenCache(60.0)
    cache.get("users:read", lambda key: ("very-secret-token", 100.0))
    assert "very-secret-token" not in repr(cache)
    assert "users:read" in repr(cache)


def test_token_cache_one_fetch_for_many_threads(rt: SimpleNamespace) -> None:
    cache = rt.auth.TokenCache(60.0)
    fetch = _Fetcher(1800.0, pause=0.05)
    barrier = threading.Barrier(16)
    got: list[str] = []

    def work() -> None:
        barrier.wait()
        got.append(cache.get("users:read", fetch))

    threads = [threading.Thread(target=work) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert got == ["token-1"] * 16
    assert fetch.calls == ["users:read"]


def test_token_cache_one_fetch_for_many_tasks(rt: SimpleNamespace) -> None:
    cache = rt.auth.TokenCache(60.0)
    fetch = _Fetcher(1800.0, pause=0.02)

    async def run() -> list[str]:
        reads = [cache.aget("users:read", fetch.async_call) for _ in range(50)]
        admins = [cache.aget("users:admin", fetch.async_call) for _ in range(50)]
        return await asyncio.gather(*reads, *admins)

    got = asyncio.run(run())
    assert sorted(fetch.calls) == ["users:admin", "users:read"]
    assert len(set(got[:50])) == 1 and len(set(got[50:])) == 1 and got[0] != got[50]


# --------------------------------------------------------------------------------------------------
# content digest and the signer
# --------------------------------------------------------------------------------------------------


def test_content_digest_vectors_from_upvest_docs(rt: SimpleNamespace) -> None:
    assert rt.signing.content_digest(b'{"key": "value"}') == (
        "sha-512=:Hd9/AvGZkbjitW1+Ml8Fg1ux1mtcDYe6mLQjDyoowIWa3LM/PmwN2v9O+MjtQGrCA3EQWUL54dlgxKHyYbrucw==:"
    )
    assert rt.signing.content_digest(b'{"hello": "world"}') == (
        "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
    )


KEYS = {
    "p521": ec.generate_private_key(ec.SECP521R1()),
    "p384": ec.generate_private_key(ec.SECP384R1()),
    "p256": ec.generate_private_key(ec.SECP256R1()),
    "ed25519": ed25519.Ed25519PrivateKey.generate(),
}


def _signer(rt: SimpleNamespace, key: Any, expires_in: int = 30) -> Any:
    return rt.signing.Signer(
        key_id=KEY_ID,
        private_key=key,
        components=rt.base.SIGNED_COMPONENTS,
        version_header="upvest-signature-version",
        version="15",
        expires_in=expires_in,
    )


def _verify(request: httpx.Request, key: Any, **kw: Any) -> Any:
    return independent.verify_request(
        request.method, str(request.url), request.headers, request.content, {KEY_ID: key.public_key()}, **kw
    )


def _get_request() -> httpx.Request:
    return httpx.Request(
        "GET",
        "https://sandbox.upvest.co/users/05e7712e%20x?limit=10&offset=20&sort=created_at",
        headers={"accept": "application/json", "authorization": f"Bearer {TOKEN}", "upvest-client-id": CLIENT_ID},
    )


def _post_request() -> httpx.Request:
    return httpx.Request(
        "POST",
        "https://sandbox.upvest.co/orders",
        headers={
            "accept": "application/json",
            "authorization": f"Bearer {TOKEN}",
            "upvest-client-id": CLIENT_ID,
            "idempotency-key": str(uuid.uuid4()),
            "content-type": "application/json",
        },
        content=b'{"side":"BUY","cash_amount":"10.50","currency":"EUR"}',
    )


@pytest.mark.parametrize("kind", list(KEYS))
def test_signed_get_with_query_verifies_independently(rt: SimpleNamespace, kind: str) -> None:
    request = _get_request()
    _signer(rt, KEYS[kind]).sign(request)
    verified = _verify(
        request,
        KEYS[kind],
        required_components=["@method", "@path", "@query", "accept", "authorization", "upvest-client-id"],
    )
    assert verified.components == ("@method", "@path", "@query", "accept", "authorization", "upvest-client-id")
    assert verified.keyid == KEY_ID and verified.label == "sig1"
    assert verified.nonce and verified.expires == verified.created + 30
    assert abs(verified.created - time.time()) < 5
    assert request.headers["upvest-signature-version"] == "15"
    assert "content-digest" not in request.headers


@pytest.mark.parametrize("kind", list(KEYS))
def test_signed_post_with_body_verifies_independently(rt: SimpleNamespace, kind: str) -> None:
    request = _post_request()
    _signer(rt, KEYS[kind]).sign(request)
    verified = _verify(
        request,
        KEYS[kind],
        required_components=["content-digest", "content-length", "content-type", "idempotency-key", "authorization"],
    )
    assert "@query" not in verified.components
    assert request.headers["content-digest"] == independent.content_digest(request.content)


def test_token_request_without_authorization_is_signed_without_it(rt: SimpleNamespace) -> None:
    request = httpx.Request(
        "POST",
        "https://sandbox.upvest.co/auth/token",
        headers={
            "accept": "application/json",
            "upvest-client-id": CLIENT_ID,
            "content-type": "application/x-www-form-urlencoded",
        },
        content=b"client_id=x&client_secret=y&grant_type=client_credentials&scope=users%3Aread",
    )
    _signer(rt, KEYS["p521"]).sign(request)
    verified = _verify(request, KEYS["p521"])
    assert "authorization" not in verified.components
    assert "content-digest" in verified.components


def test_every_signature_is_fresh(rt: SimpleNamespace) -> None:
    signer = _signer(rt, KEYS["p256"])
    first, second = _get_request(), _get_request()
    signer.sign(first)
    signer.sign(second)
    assert first.headers["signature"] != second.headers["signature"]
    assert _verify(first, KEYS["p256"]).nonce != _verify(second, KEYS["p256"]).nonce


def _tamper(request: httpx.Request, what: str) -> httpx.Request:
    headers = dict(request.headers)
    url, method, body = str(request.url), request.method, request.content
    if what == "query":
        url = url.replace("limit=10", "limit=11")
    elif what == "path":
        url = url.replace("/orders", "/users") if "/orders" in url else url.replace("/users/", "/orders/")
    elif what == "method":
        method = "DELETE"
    elif what == "authorization":
        headers["authorization"] = "Bearer another-token"
    elif what == "body":
        body = body.replace(b"10.50", b"99.50")  # content-digest now mismatches
    elif what == "body_and_digest":
        body = body.replace(b"10.50", b"99.50")
        headers["content-digest"] = independent.content_digest(body)
    elif what == "idempotency_key":
        headers["idempotency-key"] = str(uuid.uuid4())
    elif what == "signature":
        raw = headers["signature"]
        inner = base64.b64decode(raw.split(":")[1])
        flipped = bytes([inner[0], inner[1] ^ 1]) + inner[2:]
        headers["signature"] = f"sig1=:{base64.b64encode(flipped).decode()}:"
    return httpx.Request(method, url, headers=headers, content=body)


@pytest.mark.parametrize("what", ["query", "path", "method", "authorization"])
def test_tampered_get_fails_independent_verification(rt: SimpleNamespace, what: str) -> None:
    request = _get_request()
    _signer(rt, KEYS["p521"]).sign(request)
    _verify(request, KEYS["p521"])
    with pytest.raises(independent.SignatureError):
        _verify(_tamper(request, what), KEYS["p521"])


@pytest.mark.parametrize("what", ["body", "body_and_digest", "idempotency_key", "signature", "path"])
@pytest.mark.parametrize("kind", ["p521", "ed25519"])
def test_tampered_post_fails_independent_verification(rt: SimpleNamespace, what: str, kind: str) -> None:
    request = _post_request()
    _signer(rt, KEYS[kind]).sign(request)
    _verify(request, KEYS[kind])
    with pytest.raises(independent.SignatureError):
        _verify(_tamper(request, what), KEYS[kind])


def test_signature_by_another_key_fails(rt: SimpleNamespace) -> None:
    request = _get_request()
    _signer(rt, ec.generate_private_key(ec.SECP521R1())).sign(request)
    with pytest.raises(independent.SignatureError):
        _verify(request, KEYS["p521"])


def test_signer_repr_shows_only_the_key_id(rt: SimpleNamespace) -> None:
    signer = _signer(rt, KEYS["p521"])
    assert repr(signer) == f"Signer(key_id={KEY_ID!r})"


# --------------------------------------------------------------------------------------------------
# Loading private keys
# --------------------------------------------------------------------------------------------------


def _pem(key: Any, password: bytes | None = None, fmt: Any = serialization.PrivateFormat.PKCS8) -> bytes:
    encryption = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, fmt, encryption)


def _secret_lines(pem: bytes) -> list[str]:
    return [line for line in pem.decode().splitlines() if line and "-----" not in line]


def _full_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc)) + repr(exc) + str(exc)


@pytest.mark.parametrize("kind", list(KEYS))
def test_load_private_key_from_pem_bytes_text_file_and_object(rt: SimpleNamespace, kind: str, tmp_path: Path) -> None:
    key = KEYS[kind]
    pem = _pem(key)
    path = tmp_path / "key.pem"
    path.write_bytes(pem)
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    for source in (pem, pem.decode(), path, str(path), key):
        loaded = rt.signing.load_private_key(source)
        assert (
            loaded.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            == public
        )


def test_load_traditional_ec_pem(rt: SimpleNamespace) -> None:
    pem = _pem(KEYS["p521"], fmt=serialization.PrivateFormat.TraditionalOpenSSL)
    assert isinstance(rt.signing.load_private_key(pem), ec.EllipticCurvePrivateKey)


def test_load_encrypted_key_with_password(rt: SimpleNamespace) -> None:
    pem = _pem(KEYS["p256"], b"s3cret-pass")
    assert isinstance(rt.signing.load_private_key(pem, "s3cret-pass"), ec.EllipticCurvePrivateKey)
    assert isinstance(rt.signing.load_private_key(pem, b"s3cret-pass"), ec.EllipticCurvePrivateKey)


def test_wrong_password_error_names_the_problem_without_secrets(rt: SimpleNamespace) -> None:
    right, wrong = "the-right-" + uuid.uuid4().hex, "the-WRONG-" + uuid.uuid4().hex  # not in any source line
    pem = _pem(KEYS["p521"], right.encode())
    with pytest.raises(rt.signing.SignatureError) as caught:
        rt.signing.load_private_key(pem, wrong)
    text = _full_text(caught.value)
    assert "password" in str(caught.value).lower()
    assert wrong not in text and right not in text
    assert not any(line in text for line in _secret_lines(pem))


def test_encrypted_key_without_password_is_refused(rt: SimpleNamespace) -> None:
    pem = _pem(KEYS["p521"], b"the-right-pass")
    with pytest.raises(rt.signing.SignatureError) as caught:
        rt.signing.load_private_key(pem)
    assert "password" in str(caught.value).lower()
    assert not any(line in _full_text(caught.value) for line in _secret_lines(pem))


def test_not_a_pem_is_refused_without_echoing_it(rt: SimpleNamespace) -> None:
    garbage = b"-----BEGIN PRIVATE KEY-----\nTm90QUtleUF0QWxsQnV0U2VjcmV0SXNo\n-----END PRIVATE KEY-----\n"
    with pytest.raises(rt.signing.SignatureError) as caught:
        rt.signing.load_private_key(garbage)
    assert "Tm90QUtleUF0QWxsQnV0U2VjcmV0SXNo" not in _full_text(caught.value)
    with pytest.raises(rt.signing.SignatureError):
        rt.signing.load_private_key(b"not a key at all")


def test_missing_key_file_error_does_not_echo_the_argument(rt: SimpleNamespace) -> None:
    # a secret pasted without its PEM armour is taken for a path: the error must not repeat it
    pasted = "MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIBaR0xSecretMaterial"
    with pytest.raises(rt.signing.SignatureError) as caught:
        rt.signing.load_private_key(pasted)
    assert pasted not in _full_text(caught.value)


def test_rsa_key_is_refused(rt: SimpleNamespace) -> None:
    pem = _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    with pytest.raises(rt.signing.SignatureError) as caught:
        rt.signing.load_private_key(pem)
    assert "ECDSA" in str(caught.value) or "Ed25519" in str(caught.value)
    assert not any(line in _full_text(caught.value) for line in _secret_lines(pem))


def test_unsupported_curve_is_refused(rt: SimpleNamespace) -> None:
    with pytest.raises(rt.signing.SignatureError):
        rt.signing.load_private_key(_pem(ec.generate_private_key(ec.SECP256K1())))


# --------------------------------------------------------------------------------------------------
# JWKs
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KEYS))
def test_public_key_from_jwk_roundtrip(rt: SimpleNamespace, kind: str) -> None:
    public = KEYS[kind].public_key()
    loaded = rt.signing.public_key_from_jwk(independent.jwk_from_public_key(public, "k1"))
    spki = (serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert loaded.public_bytes(*spki) == public.public_bytes(*spki)


@pytest.mark.parametrize(
    "jwk",
    [
        {"kty": "RSA", "n": "AQAB", "e": "AQAB", "kid": "r"},
        {"kty": "EC", "crv": "P-192", "x": "AA", "y": "AA", "kid": "e"},
        {"kty": "OKP", "crv": "X25519", "x": "AA", "kid": "x"},
        {"kid": "none"},
    ],
)
def test_public_key_from_unsupported_jwk(rt: SimpleNamespace, jwk: dict[str, str]) -> None:
    with pytest.raises(rt.signing.SignatureError):
        rt.signing.public_key_from_jwk(jwk)


# --------------------------------------------------------------------------------------------------
# verify_message (webhook deliveries)
# --------------------------------------------------------------------------------------------------

WEBHOOK_KEY = ec.generate_private_key(ec.SECP521R1())
WEBHOOK_KID = "webhook-key-1"
URL = "https://tenant.example/webhooks/upvest"
BODY = b'{"payload": [{"id": "1", "type": "USER.CREATED"}]}'
DELIVERY_COMPONENTS = ["@method", "@path", "content-digest", "content-type", "content-length"]


def _delivery(body: bytes = BODY, **kw: Any) -> dict[str, str]:
    kw.setdefault("components", DELIVERY_COMPONENTS)
    headers = {"content-type": "application/json", "content-length": str(len(body))}
    return independent.sign_request("POST", URL, headers, body, private_key=WEBHOOK_KEY, keyid=WEBHOOK_KID, **kw)


def _keys() -> dict[str, Any]:
    return {WEBHOOK_KID: WEBHOOK_KEY.public_key()}


def test_verify_message_accepts_a_good_delivery(rt: SimpleNamespace) -> None:
    assert rt.signing.verify_message("POST", URL, _delivery(), BODY, _keys()) == WEBHOOK_KID
    assert rt.signing.verify_message("POST", URL, _delivery(raw_ecdsa=True), BODY, _keys()) == WEBHOOK_KID
    as_pairs = list(_delivery().items())
    assert rt.signing.verify_message("POST", URL, as_pairs, BODY, _keys()) == WEBHOOK_KID


@pytest.mark.parametrize(
    "case, message",
    [
        ("expired", "has expired"),
        ("future", "created in the future"),
        ("too_old", "too old"),
        ("unknown_key", "unknown key id"),
        ("missing_digest", "body is not covered"),
        ("digest_mismatch", "content-digest does not match the body"),
        ("missing_header", "covered component 'content-type' is missing from the message"),
        ("no_signature", "the message is not signed"),
        ("not_a_list", "malformed signature or signature-input header"),
        ("short_signature", "the signature does not verify"),
    ],
)
def test_verify_message_rejects(rt: SimpleNamespace, case: str, message: str) -> None:
    now = int(time.time())
    body = BODY
    keys = _keys()
    if case == "expired":
        headers = _delivery(created=now - 120, expires_in=60)
    elif case == "future":
        headers = _delivery(created=now + 3600)
    elif case == "too_old":
        headers = _delivery(created=now - 1000, expires=now + 1000)
    elif case == "unknown_key":
        headers = _delivery()
        keys = {"another-key": WEBHOOK_KEY.public_key()}
    elif case == "missing_digest":
        headers = _delivery(components=["@method", "@path", "content-type"], add_content_digest=False)
    elif case == "digest_mismatch":
        headers = _delivery()
        body = BODY.replace(b"USER.CREATED", b"USER.OFFBOARDED")
    elif case == "missing_header":
        headers = _delivery()
        del headers["content-type"]
    elif case == "not_a_list":
        headers = _delivery()
        headers["signature-input"] = "sig1=1"
    elif case == "short_signature":  # neither DER nor r||s of the key's size
        headers = _delivery()
        headers["signature"] = f"sig1=:{base64.b64encode(bytes(10)).decode()}:"
    else:
        headers = _delivery()
        del headers["signature"]
    with pytest.raises(rt.signing.SignatureError, match=message):
        rt.signing.verify_message("POST", URL, headers, body, keys, max_age=300)


def test_verify_message_accepts_an_ed25519_delivery(rt: SimpleNamespace) -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    headers = independent.sign_request(
        "POST",
        URL,
        {"content-type": "application/json", "content-length": str(len(BODY))},
        BODY,
        private_key=key,
        keyid="ed-1",
        components=DELIVERY_COMPONENTS,
    )
    assert rt.signing.verify_message("POST", URL, headers, BODY, {"ed-1": key.public_key()}) == "ed-1"
    with pytest.raises(rt.signing.SignatureError, match="does not verify"):
        rt.signing.verify_message("POST", URL + "/other", headers, BODY, {"ed-1": key.public_key()})


def test_verify_message_uses_now_and_max_age(rt: SimpleNamespace) -> None:
    created = 1_700_000_000
    headers = _delivery(created=created, expires_in=60)
    assert rt.signing.verify_message("POST", URL, headers, BODY, _keys(), now=created + 30) == WEBHOOK_KID
    with pytest.raises(rt.signing.SignatureError):
        rt.signing.verify_message("POST", URL, headers, BODY, _keys(), now=created + 90)
    with pytest.raises(rt.signing.SignatureError):
        rt.signing.verify_message("POST", URL, headers, BODY, _keys(), now=created + 30, max_age=10)


def _sign_raw(components: list[str], values: dict[str, str], params: str) -> dict[str, str]:
    """A signature over an arbitrary params string (own minimal code), to build deliveries the TEST-ONLY signer
    cannot: e.g. without a created timestamp."""
    inner = " ".join(f'"{c}"' for c in components)
    signature_params = f"({inner}){params}"
    lines = [f'"{c}": {values[c]}' for c in components] + [f'"@signature-params": {signature_params}']
    signature = WEBHOOK_KEY.sign("\n".join(lines).encode(), ec.ECDSA(hashes.SHA512()))
    return {
        "signature-input": f"sig1={signature_params}",
        "signature": f"sig1=:{base64.b64encode(signature).decode()}:",
    }


def test_raw_signing_helper_is_accepted_with_timestamps(rt: SimpleNamespace) -> None:
    """Control for the test below: the helper's signatures verify when they carry created and expires."""
    digest = independent.content_digest(BODY)
    headers = {"content-type": "application/json", "content-length": str(len(BODY)), "content-digest": digest}
    values = {
        "@method": "POST",
        "@path": "/webhooks/upvest",
        "content-digest": digest,
        "content-type": "application/json",
        "content-length": str(len(BODY)),
    }
    now = int(time.time())
    headers |= _sign_raw(DELIVERY_COMPONENTS, values, f';keyid="{WEBHOOK_KID}";created={now};expires={now + 60}')
    assert rt.signing.verify_message("POST", URL, headers, BODY, _keys()) == WEBHOOK_KID


def test_verify_message_requires_a_created_timestamp(rt: SimpleNamespace) -> None:
    digest = independent.content_digest(BODY)
    headers = {"content-type": "application/json", "content-length": str(len(BODY)), "content-digest": digest}
    values = {
        "@method": "POST",
        "@path": "/webhooks/upvest",
        "content-digest": digest,
        "content-type": "application/json",
        "content-length": str(len(BODY)),
    }
    headers |= _sign_raw(DELIVERY_COMPONENTS, values, f';keyid="{WEBHOOK_KID}"')
    with pytest.raises(rt.signing.SignatureError, match="no created timestamp"):
        rt.signing.verify_message("POST", URL, headers, BODY, _keys(), max_age=300)
    now = int(time.time())
    headers |= _sign_raw(DELIVERY_COMPONENTS, values, f';keyid="{WEBHOOK_KID}";created={now};expires="soon"')
    with pytest.raises(rt.signing.SignatureError, match="expires is not a timestamp"):
        rt.signing.verify_message("POST", URL, headers, BODY, _keys(), max_age=300)


# --------------------------------------------------------------------------------------------------
# Credentials besides a bearer token, and structured fields (RFC 8941), piece by piece
# --------------------------------------------------------------------------------------------------


def test_an_api_key_goes_where_the_scheme_says_and_never_into_a_repr(rt: SimpleNamespace) -> None:
    header = rt.auth.ApiKey("s3cret-key", header="X-Key", query=None)
    headers: dict[str, str] = {}
    assert header.apply(headers, [("a", "1")]) == [("a", "1")] and headers == {"X-Key": "s3cret-key"}
    both = rt.auth.ApiKey("s3cret-key", header="X-Key", query="api_key")
    headers = {}
    assert both.apply(headers, [("a", "1")]) == [("a", "1"), ("api_key", "s3cret-key")]
    assert headers == {"X-Key": "s3cret-key"}
    assert "s3cret" not in repr(both) and repr(both) == "ApiKey(header='X-Key', query='api_key')"
    assert not rt.auth.ApiKey.authorization and rt.auth.BasicAuth.authorization
    with pytest.raises(NotImplementedError):
        rt.auth.Credentials().apply({}, [])


def test_basic_auth_is_the_authorization_header_and_never_in_a_repr(rt: SimpleNamespace) -> None:
    basic = rt.auth.BasicAuth("user", "pässword")
    headers: dict[str, str] = {}
    assert basic.apply(headers, [("a", "1")]) == [("a", "1")]
    assert headers == {"authorization": "Basic " + base64.b64encode("user:pässword".encode()).decode()}
    assert repr(basic) == "BasicAuth()"


def test_a_query_api_key_is_redacted_from_httpx_log_lines(
    rt: SimpleNamespace, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    logger = logging.getLogger("httpx")
    monkeypatch.setattr(rt.auth._RedactQuery, "_names", set())  # as in a fresh process: no key made yet
    monkeypatch.setattr(logger, "filters", [])
    rt.auth.ApiKey("s3cret-key", header=None, query="api_key")  # the first key installs the filter
    url = httpx.URL("https://api.example.com/items?api_key=s3cret-key&page=2")
    with caplog.at_level("INFO", logger="httpx"):
        logger.info('HTTP Request: %s %s "%s"', "GET", url, "HTTP/1.1 200 OK")
        logger.info("no arguments here")
        logger.info("%(what)s by name", {"what": "arguments"})  # a mapping of arguments is left as it is
    assert "s3cret" not in caplog.text
    assert "api_key=REDACTED&page=2" in caplog.text
    assert "no arguments here" in caplog.text and "arguments by name" in caplog.text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a, b=?0, c=?1", {"a": (True, {}), "b": (False, {}), "c": (True, {})}),
        ("n=-5, m=5, d=-1.5", {"n": (-5, {}), "m": (5, {}), "d": (-1.5, {})}),
        ("b=:YWI:", {"b": (b"ab", {})}),  # padding left out
        ("b=:YWI=:", {"b": (b"ab", {})}),
        ('s="a\\"b\\\\c"', {"s": ('a"b\\c', {})}),
    ],
)
def test_structured_fields_are_read_as_rfc_8941_writes_them(rt: SimpleNamespace, text: str, expected: Any) -> None:
    assert rt.signing._Fields(text).dictionary() == expected


def test_an_inner_list_with_parameters_is_read_whole(rt: SimpleNamespace) -> None:
    items, parameters = rt.signing._Fields('sig=("@method" "@path");keyid="k";created=1').dictionary()["sig"]
    assert [item for item, _ in items] == ["@method", "@path"]
    assert parameters == {"keyid": "k", "created": 1}


@pytest.mark.parametrize(
    "text, message",
    [
        ("a=1,", "it ends with a comma"),
        ("a=1, ", "it ends with a comma"),
        ("a=1 b=2", "malformed structured field at column"),
        ('s="a\\nb"', "a bad escape"),
        ('s="a\tb"', "a character it cannot hold"),
        ('s="open', "no closing quote"),
        ("b=?2", "malformed boolean"),
        ("b=:Y!:", "expected a byte sequence"),
        ('sig=("@method""@path")', "items need a space between them"),
    ],
)
def test_a_malformed_structured_field_is_refused_with_the_reason(rt: SimpleNamespace, text: str, message: str) -> None:
    with pytest.raises(rt.signing.SignatureError, match=message):
        rt.signing._Fields(text).dictionary()


@pytest.mark.parametrize(
    "value, text",
    [
        (True, "?1"),
        (False, "?0"),
        (7, "7"),
        (-7, "-7"),
        (1.5, "1.5"),
        (2.0, "2.0"),
        (b"ab", ":YWI=:"),
        ('a"b\\', '"a\\"b\\\\"'),
    ],
)
def test_structured_field_items_are_written_as_rfc_8941_says(rt: SimpleNamespace, value: Any, text: str) -> None:
    assert rt.signing._serialize_item(value) == text
    assert rt.signing._Fields(f"x={text}").dictionary()["x"][0] == value


def test_a_structured_field_string_holds_printable_ascii_only(rt: SimpleNamespace) -> None:
    with pytest.raises(rt.signing.SignatureError, match="printable ASCII only"):
        rt.signing._serialize_item("caf\u00e9")
