"""Tests of the test infrastructure: the independent signature verifier and the fake Upvest server.

Self-contained: plain httpx plus the verifier module's TEST-ONLY signer; the generated client is not imported.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from urllib.parse import urlencode

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from fake_upvest import FakeUpvest
from signing_verifier import (
    SignatureError,
    content_digest,
    jwk_from_public_key,
    public_key_from_jwk,
    sign_request,
    signature_base,
    verify_request,
)

# ---------------------------------------------------------------------------------------------------------------
# Verifier
# ---------------------------------------------------------------------------------------------------------------

P521 = ec.generate_private_key(ec.SECP521R1())
P256 = ec.generate_private_key(ec.SECP256R1())
P384 = ec.generate_private_key(ec.SECP384R1())
ED = ed25519.Ed25519PrivateKey.generate()
KEYS = {"k-p521": P521.public_key(), "k-p256": P256.public_key(), "k-p384": P384.public_key(), "k-ed": ED.public_key()}

URL = "https://sandbox.upvest.co/orders?limit=10&offset=20"
BODY = b'{"side": "BUY", "cash_amount": "10.50"}'
HEADERS = {
    "Accept": "application/json",
    "Authorization": "Bearer tok-123",
    "Content-Type": "application/json",
    "Content-Length": str(len(BODY)),
    "Idempotency-Key": "1d769a10-def3-4569-b094-f07b1765b3cb",
    "Upvest-Client-ID": "b23d470f-1610-47ae-905e-c7e120fe3990",
}
NOW = 1_700_000_000


def _signed(key=P521, keyid="k-p521", method="POST", url=URL, headers=HEADERS, body=BODY, **kw):
    kw.setdefault("created", NOW)
    return sign_request(method, url, headers, body, private_key=key, keyid=keyid, **kw)


def _verify(headers, method="POST", url=URL, body=BODY, **kw):
    kw.setdefault("now", NOW + 1)
    return verify_request(method, url, headers, body, KEYS, **kw)


def test_content_digest_vectors_from_upvest_docs():
    assert content_digest(b'{"key": "value"}') == (
        "sha-512=:Hd9/AvGZkbjitW1+Ml8Fg1ux1mtcDYe6mLQjDyoowIWa3LM/PmwN2v9O+MjtQGrCA3EQWUL54dlgxKHyYbrucw==:"
    )
    assert content_digest(b'{"hello": "world"}') == (
        "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
    )


def test_draft_ed25519_example_b26():
    """The Ed25519 example request of the draft (appendix B.2.6; unchanged in RFC 9421): base and signature."""
    public = serialization.load_pem_public_key(
        b"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=\n"
        b"-----END PUBLIC KEY-----\n"
    )
    params = '("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"'
    headers = {
        "Host": "example.com",
        "Date": "Tue, 20 Apr 2021 02:07:55 GMT",
        "Content-Type": "application/json",
        "Content-Digest": content_digest(b'{"hello": "world"}'),
        "Content-Length": "18",
        "Signature-Input": "sig-b26=" + params,
        "Signature": "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:",
    }
    url = "https://example.com/foo?param=Value&Pet=dog"
    components = ["date", "@method", "@path", "@authority", "content-type", "content-length"]
    assert signature_base("POST", url, headers, components, params) == (
        '"date": Tue, 20 Apr 2021 02:07:55 GMT\n'
        '"@method": POST\n'
        '"@path": /foo\n'
        '"@authority": example.com\n'
        '"content-type": application/json\n'
        '"content-length": 18\n'
        '"@signature-params": ' + params
    )
    verified = verify_request(
        "POST",
        url,
        headers,
        b'{"hello": "world"}',
        {"test-key-ed25519": public},
        now=1618884473,
        require_expires=False,
        require_content_digest=False,
    )
    assert verified.keyid == "test-key-ed25519" and verified.label == "sig-b26"


def test_hand_built_signature_base_verifies():
    """A base written out by hand (not by the test-only signer), signed with cryptography directly."""
    params = (
        '("@method" "@path" "@query" "authorization" "content-digest" "upvest-client-id");'
        f'keyid="k-p521";created={NOW};expires={NOW + 30};nonce="abc123"'
    )
    base = (
        '"@method": POST\n'
        '"@path": /orders\n'
        '"@query": ?limit=10&offset=20\n'
        '"authorization": Bearer tok-123\n'
        f'"content-digest": {content_digest(BODY)}\n'
        '"upvest-client-id": b23d470f-1610-47ae-905e-c7e120fe3990\n'
        f'"@signature-params": {params}'
    )
    signature = P521.sign(base.encode(), ec.ECDSA(hashes.SHA512()))
    headers = {
        **HEADERS,
        "Authorization": "  Bearer tok-123 ",  # surrounding whitespace is stripped
        "Content-Digest": content_digest(BODY),
        "Signature-Input": "sig1=" + params,
        "Signature": f"sig1=:{base64.b64encode(signature).decode()}:",
    }
    verified = _verify(headers)
    assert verified.signature_base == base
    assert verified.components == ("@method", "@path", "@query", "authorization", "content-digest", "upvest-client-id")
    assert (verified.keyid, verified.created, verified.expires, verified.nonce) == ("k-p521", NOW, NOW + 30, "abc123")


@pytest.mark.parametrize(
    ("key", "keyid", "raw"),
    [
        (P521, "k-p521", False),
        (P521, "k-p521", True),
        (P256, "k-p256", False),
        (P256, "k-p256", True),
        (P384, "k-p384", False),
        (ED, "k-ed", False),
    ],
)
def test_signed_request_verifies_for_each_key_type(key, keyid, raw):
    headers = _signed(key, keyid, raw_ecdsa=raw)
    verified = _verify(headers, required_components=["@method", "@path", "content-digest", "upvest-client-id"])
    assert verified.keyid == keyid
    assert verified.components == (
        "@method",
        "@path",
        "@query",
        "accept",
        "authorization",
        "content-length",
        "content-type",
        "content-digest",
        "idempotency-key",
        "upvest-client-id",
    )
    assert verified.expires == NOW + 30 and verified.nonce


def test_headers_may_be_pairs_httpx_headers_or_any_case():
    headers = _signed()
    assert _verify({k.upper(): v for k, v in headers.items()})
    assert _verify(list(headers.items()))
    assert _verify(httpx.Headers(headers))


def test_repeated_header_values_are_joined_with_comma_space():
    headers = _signed(
        headers={**HEADERS, "x-multi": "a, b"}, components=["@method", "@path", "x-multi", "content-digest"]
    )
    pairs = [(k, v) for k, v in headers.items() if k != "x-multi"] + [("x-multi", " a "), ("X-Multi", "b")]
    assert _verify(pairs).components[2] == "x-multi"


def _tamper(name):
    headers = _signed()
    kw = {}
    if name == "body":
        kw["body"] = BODY.replace(b"10.50", b"99.50")
    elif name == "body-and-digest":
        body = BODY.replace(b"10.50", b"99.50")
        headers["content-digest"] = content_digest(body)
        kw["body"] = body
    elif name == "path":
        kw["url"] = URL.replace("/orders", "/orders2")
    elif name == "query":
        kw["url"] = URL.replace("limit=10", "limit=11")
    elif name == "method":
        kw["method"] = "PUT"
    elif name == "header":
        headers["authorization"] = "Bearer tok-456"
    elif name == "params-created":
        headers["signature-input"] = headers["signature-input"].replace(f"created={NOW}", f"created={NOW - 1}")
    elif name == "params-components":
        headers["signature-input"] = headers["signature-input"].replace('"accept" ', "")
    elif name == "signature-bytes":
        raw = bytearray(base64.b64decode(headers["signature"][6:-1]))
        raw[-1] ^= 1
        headers["signature"] = f"sig1=:{base64.b64encode(bytes(raw)).decode()}:"
    elif name == "expired":
        kw["now"] = NOW + 31
    elif name == "created-in-future":
        kw["now"] = NOW - 61
    elif name == "too-old":
        headers = _signed(expires=NOW + 10_000)
        kw["now"] = NOW + 301
    elif name == "unknown-keyid":
        headers = _signed(keyid="nobody")
    elif name == "wrong-key":
        headers = _signed(key=P256, keyid="k-p521")
    elif name == "no-expires":
        headers["signature-input"] = headers["signature-input"].replace(f";expires={NOW + 30}", "")
    elif name == "digest-not-covered":
        headers = _signed(components=["@method", "@path", "upvest-client-id"])
    elif name == "no-digest-header":
        headers.pop("content-digest")
    elif name == "content-length":
        kw["body"] = BODY + b" "
        headers["content-digest"] = content_digest(BODY + b" ")
    elif name == "query-covered-without-query":
        headers = _signed(
            url="https://sandbox.upvest.co/orders", components=["@method", "@path", "@query", "content-digest"]
        )
        kw["url"] = "https://sandbox.upvest.co/orders"
    elif name == "covered-header-missing":
        headers.pop("idempotency-key")
    elif name == "required-component":
        kw["required_components"] = ["upvest-client-id", "x-not-covered"]
    elif name == "duplicate-component":
        headers = _signed(components=["@method", "@method", "content-digest"])
    elif name == "uppercase-component":
        headers["signature-input"] = headers["signature-input"].replace('"accept"', '"Accept"')
    elif name == "malformed-input":
        headers["signature-input"] = headers["signature-input"].replace("(", "[")
    elif name == "not-a-byte-sequence":
        headers["signature"] = "sig1=notbase64"
    elif name == "malformed-signature":
        headers["signature"] = "sig1=:not base64!:"
    elif name == "missing-signature":
        headers.pop("signature")
    elif name == "label-mismatch":
        headers["signature"] = headers["signature"].replace("sig1=", "sig2=")
    elif name == "wrong-alg":
        headers = _signed(alg="ed25519")
    elif name == "ed25519-wrong-length":
        headers = _signed(key=ED, keyid="k-ed")
        headers["signature"] = "sig1=:" + base64.b64encode(b"\0" * 63).decode() + ":"
    else:  # pragma: no cover
        raise AssertionError(name)
    return headers, kw


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("body", "content-digest sha-512 does not match"),
        ("body-and-digest", "does not verify"),
        ("path", "does not verify"),
        ("query", "does not verify"),
        ("method", "does not verify"),
        ("header", "does not verify"),
        ("params-created", "does not verify"),
        ("params-components", "does not verify"),
        ("signature-bytes", ""),
        ("expired", "expired"),
        ("created-in-future", "future"),
        ("too-old", "too old"),
        ("unknown-keyid", "unknown keyid"),
        ("wrong-key", "does not verify"),
        ("no-expires", "no expires"),
        ("digest-not-covered", "content-digest is not covered"),
        ("no-digest-header", "no content-digest header"),
        ("content-length", "content-length"),
        ("query-covered-without-query", "no query string"),
        ("covered-header-missing", "'idempotency-key' is missing"),
        ("required-component", "'x-not-covered' is not covered"),
        ("duplicate-component", "covered twice"),
        ("uppercase-component", "lowercase"),
        ("malformed-input", "malformed signature-input"),
        ("not-a-byte-sequence", "not a byte sequence"),
        ("malformed-signature", "malformed signature"),
        ("missing-signature", "missing signature header"),
        ("label-mismatch", "no signature labelled 'sig1'"),
        ("wrong-alg", "does not match"),
        ("ed25519-wrong-length", "64 bytes"),
    ],
)
def test_tampering_is_detected(case, reason):
    headers, kw = _tamper(case)
    with pytest.raises(SignatureError) as info:
        _verify(headers, **kw)
    assert reason in info.value.reason


def test_created_within_skew_is_accepted():
    assert _verify(_signed(), now=NOW - 59)


def test_jwk_round_trip():
    for key in (P521.public_key(), P256.public_key(), ED.public_key()):
        jwk = jwk_from_public_key(key, "kid-1")
        again = public_key_from_jwk(jwk)
        raw = serialization.PublicFormat.SubjectPublicKeyInfo
        assert again.public_bytes(serialization.Encoding.DER, raw) == key.public_bytes(serialization.Encoding.DER, raw)
    jwk = jwk_from_public_key(P521.public_key(), "kid-1")
    assert set(jwk) == {"kid", "kty", "crv", "x", "y"} and jwk["crv"] == "P-521" and len(jwk["x"]) == 88


# ---------------------------------------------------------------------------------------------------------------
# Fake server
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def server():
    with FakeUpvest(token_ttl=2) as fake:
        yield fake
    assert fake.errors == []


def call(
    server, method, path, *, token=None, json_body=None, form=None, headers=None, sign=True, timeout=5.0, **sign_kw
):
    body = b""
    h = {"upvest-client-id": server.client_id, "upvest-signature-version": "15", "accept": "application/json"}
    if token:
        h["authorization"] = f"Bearer {token}"
    if json_body is not None:
        body = json.dumps(json_body).encode()
        h["content-type"] = "application/json"
    if form is not None:
        body = urlencode(form).encode()
        h["content-type"] = "application/x-www-form-urlencoded"
    h.update(headers or {})
    url = server.base_url + path
    if sign:
        h = sign_request(
            method,
            url,
            h,
            body,
            private_key=server.client_private_key,
            keyid=server.client_key_id,
            add_content_length=bool(body),
            **sign_kw,
        )
    return httpx.request(method, url, headers=h, content=body, timeout=timeout)


def fetch_token(server, scope, secret=None):
    return call(
        server,
        "POST",
        "/auth/token",
        form={
            "client_id": server.client_id,
            "client_secret": secret or server.client_secret,
            "grant_type": "client_credentials",
            "scope": scope,
        },
    )


def assert_problem(response, status, title=None):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status and problem["type"].startswith("https://docs.upvest.co/errors/")
    assert problem["request_id"] == response.headers["upvest-request-id"]
    assert problem["instance"] and problem["detail"]
    if title:
        assert problem["title"] == title
    return problem


NEW_USER = {
    "first_name": "Jane",
    "last_name": "Doe",
    "birth_date": "1990-01-01",
    "nationalities": ["DE"],
    "address": {"address_line1": "Torstrasse 1", "postcode": "10119", "city": "Berlin", "country": "DE"},
}
NEW_ORDER = {
    "user_id": "05e7712e-ff8b-4f04-b733-6f75ececa702",
    "account_id": "9786f312-34f9-41b9-abd6-f2c2ff906d18",
    "cash_amount": "1000.00",
    "currency": "EUR",
    "side": "BUY",
    "instrument_id": "US0378331005",
    "instrument_id_type": "ISIN",
    "order_type": "MARKET",
}


def test_token_flow(server):
    response = fetch_token(server, "users:read orders:read")
    assert response.status_code == 200
    uuid.UUID(response.headers["upvest-request-id"])
    body = response.json()
    assert body["expires_in"] == 2 and body["token_type"] == "bearer" and body["scope"] == "users:read orders:read"
    assert [scope for scope, _ in server.token_requests] == ["users:read orders:read"]
    assert server.requests[0].signature.components[:2] == ("@method", "@path")
    assert call(server, "GET", "/users", token=body["access_token"]).status_code == 200


def test_token_errors(server):
    assert_problem(fetch_token(server, "users:read", secret="wrong"), 401, "Unauthorized")
    with_auth = call(
        server,
        "POST",
        "/auth/token",
        headers={"authorization": "Bearer x"},
        form={
            "client_id": server.client_id,
            "client_secret": server.client_secret,
            "grant_type": "client_credentials",
            "scope": "users:read",
        },
    )
    assert_problem(with_auth, 400)
    assert_problem(fetch_token(server, "users:everything"), 400)
    assert server.token_requests == []


def test_every_request_must_be_signed_and_versioned(server):
    token = server.issue_token(["users:read"])
    unsigned = call(server, "GET", "/users", token=token, sign=False)
    assert "invalid signature" in assert_problem(unsigned, 401, "Unauthorized")["detail"]
    assert server.requests[-1].outcome == "signature_error"
    no_version = call(server, "GET", "/users", token=token, headers={"upvest-signature-version": "6"})
    assert_problem(no_version, 400)
    auth_not_covered = call(server, "GET", "/users", token=token, components=["@method", "@path", "upvest-client-id"])
    assert "'authorization' is not covered" in assert_problem(auth_not_covered, 401)["detail"]
    unsigned_token_request = call(server, "POST", "/auth/token", sign=False, form={"client_id": server.client_id})
    assert_problem(unsigned_token_request, 401)


def test_strict_components_require_query_coverage():
    with FakeUpvest(strict_signature_components=True) as strict:
        token = strict.issue_token(["users:read"])
        ok = call(strict, "GET", "/users?limit=1", token=token)
        assert ok.status_code == 200
        no_query = call(
            strict,
            "GET",
            "/users?limit=1",
            token=token,
            components=["@method", "@path", "authorization", "upvest-client-id", "accept"],
        )
        assert "'@query' is not covered" in assert_problem(no_query, 401)["detail"]


def test_scopes(server):
    read = server.issue_token(["users:read"])
    admin = server.issue_token(["users:admin"])
    orders = server.issue_token(["orders:read"])
    assert call(server, "GET", "/users", token=read).status_code == 200
    assert call(server, "GET", "/users", token=admin).status_code == 200
    assert_problem(call(server, "GET", "/users", token=orders), 403, "Forbidden")
    forbidden = call(
        server, "POST", "/users", token=read, json_body=NEW_USER, headers={"idempotency-key": str(uuid.uuid4())}
    )
    assert_problem(forbidden, 403)
    assert server.created_users == 0
    assert server.api_requests("GET")[0].token_scopes == frozenset({"users:read"})
    assert_problem(call(server, "GET", "/users"), 401, "Unauthorized")
    assert_problem(call(server, "GET", "/users", token="not-a-token"), 401, "Unauthorized")


def test_token_expiry():
    clock = [time.time()]  # the fake's clock, moved by hand (signatures made now stay within its skew)
    with FakeUpvest(clock=lambda: clock[0]) as server:
        short = server.issue_token(["users:read"], ttl=0.3)
        clock[0] += 0.29
        assert call(server, "GET", "/users", token=short).status_code == 200
        clock[0] += 0.01
        assert "expired" in assert_problem(call(server, "GET", "/users", token=short), 401, "Unauthorized")["detail"]
        assert server.requests[-1].outcome == "token_expired"
    assert server.errors == []


def test_expire_token_fault_is_permanent(server):
    token = server.issue_token(["users:read"])
    server.faults.add("GET", "/users", "expire_token")
    assert_problem(call(server, "GET", "/users", token=token), 401)
    assert_problem(call(server, "GET", "/users", token=token), 401)
    fresh = fetch_token(server, "users:read").json()["access_token"]
    assert call(server, "GET", "/users", token=fresh).status_code == 200


def test_create_user_is_idempotent(server):
    token = server.issue_token(["users:admin"])
    key = str(uuid.uuid4())
    first = call(server, "POST", "/users", token=token, json_body=NEW_USER, headers={"idempotency-key": key})
    assert first.status_code == 200, first.text
    again = call(server, "POST", "/users", token=token, json_body=NEW_USER, headers={"idempotency-key": key})
    assert again.status_code == 200 and again.json() == first.json()
    assert again.headers["upvest-request-id"] != first.headers["upvest-request-id"]
    assert server.created_users == 1 and server.requests[-1].outcome == "replayed"
    other = call(
        server, "POST", "/users", token=token, json_body=NEW_USER, headers={"idempotency-key": str(uuid.uuid4())}
    )
    assert other.json()["id"] != first.json()["id"] and server.created_users == 2
    changed = call(
        server,
        "POST",
        "/users",
        token=token,
        json_body={**NEW_USER, "first_name": "Erika"},
        headers={"idempotency-key": key},
    )
    assert_problem(changed, 422)
    assert_problem(call(server, "POST", "/users", token=token, json_body=NEW_USER), 400)
    user = first.json()
    assert user["status"] == "ACTIVE" and user["postal_address"] is None and user["address"]["city"] == "Berlin"
    assert call(server, "GET", f"/users/{user['id']}", token=token).json() == user
    assert call(server, "DELETE", f"/users/{user['id']}", token=token).status_code == 202
    assert call(server, "GET", f"/users/{user['id']}", token=token).json()["status"] == "OFFBOARDING"


def test_request_validation(server):
    token = server.issue_token(["users:admin", "orders:admin"])
    bad_user = call(
        server,
        "POST",
        "/users",
        token=token,
        json_body={**NEW_USER, "salutation": None},
        headers={"idempotency-key": str(uuid.uuid4())},
    )
    assert "salutation" in assert_problem(bad_user, 400)["detail"]
    float_amount = call(
        server,
        "POST",
        "/orders",
        token=token,
        json_body={**NEW_ORDER, "cash_amount": 1000.0},
        headers={"idempotency-key": str(uuid.uuid4())},
    )
    assert "cash_amount" in assert_problem(float_amount, 400)["detail"]
    both = call(
        server,
        "POST",
        "/orders",
        token=token,
        json_body={**NEW_ORDER, "quantity": "1"},
        headers={"idempotency-key": str(uuid.uuid4())},
    )
    assert_problem(both, 422)
    assert_problem(call(server, "GET", f"/users/{uuid.uuid4()}", token=token), 404, "Not Found")
    assert_problem(call(server, "PATCH", "/users", token=token), 405)
    assert_problem(call(server, "GET", "/users", token=token, headers={"accept": "application/pdf"}), 406)


def test_orders_lifecycle_and_lost_response_replay(server):
    token = server.issue_token(["orders:admin"])
    key = str(uuid.uuid4())
    server.faults.add("POST", "/orders", "reset", apply_before_fault=True)
    with pytest.raises(httpx.TransportError):
        call(server, "POST", "/orders", token=token, json_body=NEW_ORDER, headers={"idempotency-key": key})
    assert server.placed_orders == 1 and server.requests[-1].outcome == "fault_reset_after_apply"
    retry = call(server, "POST", "/orders", token=token, json_body=NEW_ORDER, headers={"idempotency-key": key})
    assert retry.status_code == 202 and server.placed_orders == 1
    order = retry.json()
    assert order == server.orders[order["id"]] and order["status"] == "NEW" and order["cash_amount"] == "1000.00"
    assert call(server, "GET", f"/orders/{order['id']}", token=token).json() == order
    listed = call(server, "GET", f"/orders?user_id={NEW_ORDER['user_id']}", token=token).json()
    assert [o["id"] for o in listed["data"]] == [order["id"]] and listed["meta"]["total_count"] == 1
    cancelled = call(server, "DELETE", f"/orders/{order['id']}", token=token)
    assert cancelled.status_code == 202 and cancelled.json() == {"id": order["id"], "status": "NEW"}
    after = call(server, "GET", f"/orders/{order['id']}", token=token).json()
    assert after["status"] == "CANCELLED" and after["cancellation_reason"] == "CANCELLED_BY_CLIENT"


def test_reset_without_apply_does_not_create(server):
    token = server.issue_token(["orders:admin"])
    server.faults.add("POST", "/orders", "reset")
    with pytest.raises(httpx.TransportError):
        call(
            server, "POST", "/orders", token=token, json_body=NEW_ORDER, headers={"idempotency-key": str(uuid.uuid4())}
        )
    assert server.placed_orders == 0 and server.requests[-1].outcome == "fault_reset"


def test_pagination():
    with FakeUpvest(users=25) as fake:
        token = fake.issue_token(["users:read"])
        page = call(fake, "GET", "/users", token=token).json()
        assert page["meta"] == {
            "offset": 0,
            "limit": 100,
            "count": 25,
            "total_count": 25,
            "sort": "created_at",
            "order": "ASC",
        }
        last = call(fake, "GET", "/users?offset=20&limit=10", token=token).json()
        assert last["meta"]["count"] == 5 and [u["id"] for u in last["data"]] == [u["id"] for u in page["data"][20:]]
        desc = call(fake, "GET", "/users?order=DESC&limit=2", token=token).json()
        assert [u["id"] for u in desc["data"]] == [page["data"][24]["id"], page["data"][23]["id"]]
        assert_problem(call(fake, "GET", "/users?limit=1001", token=token), 400)
        assert_problem(call(fake, "GET", "/users?offset=-1", token=token), 400)
        assert_problem(call(fake, "GET", "/users?sort=name", token=token), 400)


def test_status_faults_are_consumed_in_order(server):
    token = server.issue_token(["users:read"])
    server.faults.add("GET", "/users", "status", status=429, retry_after=1)
    server.faults.add("*", "/users", "status", times=2, status=503)
    server.faults.add("GET", "/orders", "status", status=500)  # never matches /users
    first = call(server, "GET", "/users", token=token)
    assert_problem(first, 429, "Too Many Requests")
    assert first.headers["retry-after"] == "1"
    assert_problem(call(server, "GET", "/users", token=token), 503, "Service Unavailable")
    assert_problem(call(server, "GET", "/users", token=token), 503)
    assert call(server, "GET", "/users", token=token).status_code == 200
    assert [f.path_prefix for f in server.faults.pending] == ["/orders"]
    assert [r.outcome for r in server.requests] == ["fault_status", "fault_status", "fault_status", "ok"]


def test_status_fault_after_apply(server):
    token = server.issue_token(["users:admin"])
    key = str(uuid.uuid4())
    server.faults.add("POST", "/users", "status", status=504, apply_before_fault=True)
    assert_problem(
        call(server, "POST", "/users", token=token, json_body=NEW_USER, headers={"idempotency-key": key}), 504
    )
    assert server.created_users == 1
    replay = call(server, "POST", "/users", token=token, json_body=NEW_USER, headers={"idempotency-key": key})
    assert replay.status_code == 200 and server.created_users == 1


def test_delay_fault_triggers_client_timeout(server):
    token = server.issue_token(["users:read"])
    # a delay far past the client's timeout: the timeout, not the end of the delay, ends the call (no clock read)
    server.faults.add("GET", "/users", "delay", seconds=3.0)
    with pytest.raises(httpx.ReadTimeout):
        call(server, "GET", "/users", token=token, timeout=0.2)
    assert call(server, "GET", "/users", token=token).status_code == 200


@pytest.mark.parametrize("apply_first", [False, True])
def test_timed_out_post_retried_with_same_key_creates_once(server, apply_first):
    token = server.issue_token(["users:admin"])
    key = str(uuid.uuid4())
    held = server.faults.add("POST", "/users", "delay", seconds=30.0, apply_before_fault=apply_first)
    with pytest.raises(httpx.ReadTimeout):
        call(server, "POST", "/users", token=token, json_body=NEW_USER, headers={"idempotency-key": key}, timeout=0.2)
    retry = call(server, "POST", "/users", token=token, json_body=NEW_USER, headers={"idempotency-key": key})
    assert retry.status_code == 200
    held.release()  # the first attempt, still held, is let go and finishes
    for _ in range(1000):
        if "pending" not in {r.outcome for r in server.requests}:
            break
        time.sleep(0.01)
    assert server.created_users == 1
    assert sorted(r.outcome for r in server.requests) == ["ok", "replayed"]


def test_reset_fault_drops_the_connection(server):
    token = server.issue_token(["users:read"])
    server.faults.add("GET", "/users", "reset")
    server.faults.add("GET", "/users", "reset", graceful=True)
    with pytest.raises(httpx.TransportError):
        call(server, "GET", "/users", token=token)
    with pytest.raises(httpx.TransportError):
        call(server, "GET", "/users", token=token)
    assert call(server, "GET", "/users", token=token).status_code == 200


def test_verify_keys_and_webhook_signature(server):
    response = call(server, "GET", "/auth/verify_keys")
    assert response.status_code == 200
    keys = {jwk["kid"]: public_key_from_jwk(jwk) for jwk in response.json()["keys"]}
    assert list(keys) == [server.webhook_key_id]
    assert response.json()["keys"][0]["crv"] == "P-521"
    body = json.dumps({"payload": [{"id": str(uuid.uuid4()), "type": "ORDER.FILLED"}]}).encode()
    url = "https://tenant.example/hooks/upvest"
    headers = server.sign_webhook(body, url=url)
    assert headers["content-digest"] == content_digest(body)
    verified = verify_request(
        "POST",
        url,
        headers,
        body,
        keys,
        required_components=["@method", "@path", "content-digest", "content-type", "content-length"],
    )
    assert verified.keyid == server.webhook_key_id
    der = base64.b64decode(headers["signature"].split(":")[1])
    assert der[0] == 0x30  # DER SEQUENCE
    with pytest.raises(SignatureError):
        verify_request("POST", url, headers, body + b" ", keys)


def test_unknown_fields_and_enum_values_option():
    with FakeUpvest(users=1, unknown_fields=True, unknown_enum_values=True) as fake:
        token = fake.issue_token(["users:read"])
        page = call(fake, "GET", "/users", token=token).json()
        assert page["meta"]["x_added_later"] and page["data"][0]["x_added_later"]
        assert page["data"][0]["status"] == "DORMANT"


def test_body_hash_helper_matches_hashlib():
    assert content_digest(b"") == "sha-512=:" + base64.b64encode(hashlib.sha512(b"").digest()).decode() + ":"
