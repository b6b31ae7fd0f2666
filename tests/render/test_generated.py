"""The generated packages import in a fresh interpreter, every module of them, and pass `mypy --strict`; importing
one and making a client leaves pydantic, asyncio, cryptography and httpx's HTTP client unimported and unmade until a
call needs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GOLDEN, OUTPUT
from corpus import readme_block_modules

PROJECTS = sorted(p for p in GOLDEN.iterdir() if p.is_dir()) + [OUTPUT]

IMPORT_ALL = """
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)
client = package.Client(base_url="https://example.test") if hasattr(package, "Client") else None
for name in dir(client):
    if not name.startswith("_"):
        getattr(client, name)
print("imported", package.__name__)
"""


# Runs in a fresh interpreter, in the project folder, with the package name as argument. The slow imports are
# checked before anything else runs; then calls go through the shared request path, which must import them itself.
LAZY_IMPORTS = """
import sys
package = __import__(sys.argv[1])
package.Client(base_url="https://example.test")
package.AsyncClient(base_url="https://example.test")
# httpcore: httpx imports it when an HTTP client is made, which the first call does
loaded = sorted(name for name in ("asyncio", "cryptography", "httpcore", "pydantic") if name in sys.modules)
assert not loaded, f"importing the package and making clients imported {loaded}"
missing = set(package.__all__) - {"models"} - set(dir(package))
assert not missing, f"dir() does not list {missing}"

import asyncio, importlib, importlib.util, inspect
from typing import Dict
import httpx

base = importlib.import_module(sys.argv[1] + "._base_client")
retry = importlib.import_module(sys.argv[1] + "._retry").RetryPolicy(initial_delay=0.001, max_delay=0.001)
found = base.Endpoint("GET", "/found", responses={"200": {"application/json": Dict[str, int]}})
flaky = base.Endpoint("GET", "/flaky", responses={"200": {"application/json": Dict[str, int]}})
missing_endpoint = base.Endpoint("GET", "/missing", responses={"200": {"application/json": Dict[str, int]}})
sent = []

def answer(request):
    sent.append(request)
    if request.url.path == "/missing":
        problem = {"title": "no such thing"}
        return httpx.Response(404, json=problem, headers={"content-type": "application/problem+json"})
    if request.url.path == "/flaky" and len(sent) % 2:
        return httpx.Response(503, headers={"retry-after": "0"})
    return httpx.Response(200, json={"id": 7})

def client(cls, http, **settings):
    transport = httpx.MockTransport(answer)
    return cls(base_url="https://example.test", retry=retry, http_client=http(transport=transport), **settings)

sync = client(package.Client, httpx.Client)
assert sync.request(found) == {"id": 7}
try:
    sync.request(missing_endpoint)
except package.APIError as error:
    assert isinstance(error.problem, package.Problem) and error.problem.title == "no such thing", error
else:
    raise AssertionError("a 404 raised nothing")

async def call():
    async with client(package.AsyncClient, httpx.AsyncClient) as async_client:
        sent.clear()
        return await async_client.request(flaky)  # a 503 first: the retry waits with asyncio.sleep

assert asyncio.run(call()) == {"id": 7} and len(sent) == 2

from_import = {}
exec(f"from {sys.argv[1]} import Problem", from_import)
assert from_import["Problem"] is package.Problem is importlib.import_module(sys.argv[1] + "._types").Problem
if importlib.util.find_spec(sys.argv[1] + "._signing") is not None:
    signing = importlib.import_module(sys.argv[1] + "._signing")
    assert package.SignatureError is signing.SignatureError and issubclass(signing.SignatureError, package.Error)
if "private_key" in inspect.signature(package.Client).parameters:
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    signed = client(package.Client, httpx.Client, key_id="key-1", private_key=key)
    assert signed.request(found) == {"id": 7}
    assert 'keyid="key-1"' in sent[-1].headers["signature-input"], sent[-1].headers
print("lazy imports of", package.__name__, "hold")
"""


def package_of(project: Path) -> Path:
    (package,) = [p for p in project.iterdir() if (p / "__init__.py").is_file()]
    return package


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_every_module_imports_in_a_fresh_interpreter(project: Path) -> None:
    package = package_of(project)
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, package.name], cwd=project, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert f"imported {package.name}" in result.stdout


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.name)
def test_making_a_client_imports_no_pydantic_asyncio_or_cryptography(project: Path) -> None:
    package = package_of(project)
    result = subprocess.run(
        [sys.executable, "-c", LAZY_IMPORTS, package.name], cwd=project, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert f"lazy imports of {package.name} hold" in result.stdout


def test_generated_packages_pass_mypy_strict(tmp_path: Path) -> None:
    packages = sorted(str(package_of(p)) for p in PROJECTS)
    # and the Python of each project's README, as a reader would run it
    blocks = tmp_path / "readme"
    blocks.mkdir()
    for project in PROJECTS:
        markdown = (project / "README.md").read_text(encoding="utf-8")
        for name, text in readme_block_modules(markdown, package_of(project).name).items():
            (blocks / name).write_text(text, encoding="utf-8")
    modules = sorted(str(p) for p in blocks.iterdir())
    assert modules, "the READMEs have Python blocks"
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), *packages, *modules],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "MYPYPATH": os.pathsep.join(str(p) for p in PROJECTS)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout
