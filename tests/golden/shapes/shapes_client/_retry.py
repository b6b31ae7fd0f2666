# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""When and how long to wait before trying a request again."""

from __future__ import annotations

import email.utils
import random
import re
import time
from dataclasses import dataclass, replace
from typing import Any, Mapping

from ._config import RETRY

__all__ = ["RetryPolicy", "DEFAULT_RETRY"]

#: Statuses worth another try: the server was busy, overloaded or briefly unreachable.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
#: Methods that may be repeated without changing the outcome (RFC 9110, section 9.2.2).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter (a wait between half the backoff and all of it); `Retry-After` honoured up
    to `max_retry_after`.

    A request is retried only when repeating it is safe: its method is idempotent, or it carries an
    idempotency key (the server then replays the first outcome instead of applying the request twice).
    """

    max_retries: int = 3
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    #: The most time one call may take, all attempts and waits included (seconds); None for no limit.
    deadline: float | None = 120.0

    def with_overrides(self, max_retries: int | None, deadline: float | None) -> RetryPolicy:
        """This policy with `max_retries` and `deadline` replaced, each unless None."""
        policy = self
        if max_retries is not None:
            policy = replace(policy, max_retries=max_retries)
        if deadline is not None:
            policy = replace(policy, deadline=deadline)
        return policy

    def for_call(self, options: Mapping[str, Any]) -> RetryPolicy:
        """This policy as one call's options change it: `max_retries` when given, `deadline` when given (None
        there lifts the limit for that call)."""
        policy = self.with_overrides(options.get("max_retries"), None)
        if "deadline" in options:
            policy = replace(policy, deadline=options["deadline"])
        return policy

    @staticmethod
    def safe_to_repeat(method: str, has_idempotency_key: bool) -> bool:
        return method.upper() in IDEMPOTENT_METHODS or has_idempotency_key

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before attempt number `attempt + 1` (attempts count from 1)."""
        if retry_after:
            seconds = parse_retry_after(retry_after)
            if seconds is not None:
                return min(max(seconds, 0.0), self.max_retry_after)
        backoff = min(self.max_delay, self.initial_delay * (2 ** (attempt - 1)))
        return random.uniform(backoff / 2, backoff)

    def allows(self, attempt: int, started: float, wait: float) -> bool:
        """Whether another attempt fits: retries left, and the wait ends before the deadline."""
        if attempt > self.max_retries:
            return False
        return self.deadline is None or time.monotonic() - started + wait < self.deadline


def parse_retry_after(value: str) -> float | None:
    """`Retry-After` as seconds: either a number of seconds or an HTTP date."""
    value = value.strip()
    if re.fullmatch(
        r"[0-9]+(\.[0-9]+)?", value
    ):  # delay-seconds (fractions tolerated); not NaN, inf or negatives
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return moment.timestamp() - time.time()


#: The retry policy of clients made without `retry=`: the runtime's defaults, and this API's from its configuration.
DEFAULT_RETRY = RetryPolicy(**RETRY)
