"""Per-request overhead of the generated Upvest client against raw httpx, on one local server.

    python benchmarks/overhead.py [--requests 2000]

Both sides call GET /orders/{id} on a stdlib HTTP server on 127.0.0.1 in this process, through one
keep-alive connection each; the generated client also parses the JSON into its model. Prints the median
per-request time of each side over several rounds, and the ratio (target: at most 1.3x). A second line
measures the client with request signing (ECDSA P-521) and a token from the token endpoint.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric import ec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "output"))
import upvest_investment_client as upvest  # noqa: E402

ORDER = {
    "id": "3f8b1c1e-3a34-4c55-9a1a-6b2f3f1c8d11",
    "created_at": "2024-05-01T10:00:00Z",
    "updated_at": "2024-05-01T10:00:01Z",
    "user_id": "0c4f6a02-31ed-4bb1-9d43-3c6c1d7b7a3c",
    "account_id": "6a0c9a28-6f59-4d79-8a1e-0f6f4ec0b1f5",
    "cash_amount": "100.00",
    "quantity": "1.5",
    "currency": "EUR",
    "side": "BUY",
    "instrument_id": "DE0005557508",
    "instrument_id_type": "ISIN",
    "order_type": "MARKET",
    "status": "FILLED",
    "fee": "0.00",
    "executions": [],
}
BODY = json.dumps(ORDER).encode()
TOKEN = json.dumps({"access_token": "t", "expires_in": 3600, "token_type": "bearer", "scope": "orders:read"}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # answer at once: no 40 ms delayed-ACK stalls between header and body

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.send_header("upvest-request-id", "5d3a1b9e-0000-4000-8000-000000000000")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def do_GET(self) -> None:  # noqa: N802
        self._send(BODY)

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self._send(TOKEN)

    def log_message(self, *args: object) -> None:
        pass


def per_request(call, requests: int, rounds: int) -> float:
    for _ in range(50):
        call()  # warm up: connection, caches, token
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(requests):
            call()
        samples.append((time.perf_counter() - started) / requests)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    path = f"/orders/{ORDER['id']}"
    try:
        with (
            httpx.Client(base_url=base) as raw,
            upvest.Client(base_url=base, access_token="t") as client,
            upvest.Client(
                base_url=base,
                client_id="c",
                client_secret="s",
                key_id="k",
                private_key=ec.generate_private_key(ec.SECP521R1()),
            ) as signed,
        ):
            headers = {"authorization": "Bearer t", "accept": "application/json"}
            raw_time = per_request(lambda: raw.get(path, headers=headers).json(), args.requests, args.rounds)
            client_time = per_request(lambda: client.orders.retrieve(order_id=ORDER["id"]), args.requests, args.rounds)
            signed_time = per_request(
                lambda: signed.orders.retrieve(order_id=ORDER["id"]), args.requests // 4, args.rounds
            )
    finally:
        server.shutdown()
    print(f"{'':28} {'per request':>12} {'ratio':>7}")
    print(f"{'raw httpx + json()':28} {raw_time * 1e6:10.0f}us {1.0:7.2f}")
    print(f"{'generated client':28} {client_time * 1e6:10.0f}us {client_time / raw_time:7.2f}  (target <= 1.30)")
    print(
        f"{'generated client, signed':28} {signed_time * 1e6:10.0f}us {signed_time / raw_time:7.2f}  (ECDSA P-521 per request)"
    )


if __name__ == "__main__":
    main()
