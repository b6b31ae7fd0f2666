"""Shared fixtures: paths of the repository, the committed Upvest client, and ../shared."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests run the same examples on every run and machine (a CI failure reproduces), without a database;
# CLIENTGEN_HYPOTHESIS=explore draws new ones, for a search by hand.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False, database=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("CLIENTGEN_HYPOTHESIS", "ci"))

from generator.diff.wire import WireDiff

#: a judgement of the diff's wire view that oasdiff's level would override unseen fails the test that meets it
WireDiff.checking_judgements = True

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "output"
SPECS = ROOT / "specs"
UPVEST_SPEC = SPECS / "upvest-investment-api.yaml"
SHARED = ROOT.parent / "shared"
SHARED_SPECS = SHARED / "specs"
TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
GOLDEN = TESTS / "golden"
#: helpers of the tests (fake servers, the corpus runner, verifiers): on sys.path, as pytest.ini_options says
SUPPORT = TESTS / "support"

# the command lines the tests run keep their formatting caches in a folder of this test process, removed at its
# end, not in the user's ~/.cache (every test's output folder has a cache file of its own)
if "CLIENTGEN_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="clientgen-test-cache-")
    os.environ["CLIENTGEN_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)


def shared_spec(relative: str) -> Path:
    """A spec from ../shared/specs; fails (never skips) when ../shared is missing, saying so."""
    path = SHARED_SPECS / relative
    if not path.is_file():
        pytest.fail(
            f"this test needs {path}: the shared specs folder (../shared/specs beside the repository) is missing",
            pytrace=False,
        )
    return path


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on (for servers the tests start)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def upvest_client_path() -> Path:
    """Puts the committed generated client (output/) on sys.path so tests import it as users would."""
    if str(OUTPUT) not in sys.path:
        sys.path.insert(0, str(OUTPUT))
    return OUTPUT
