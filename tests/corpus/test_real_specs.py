"""Upvest's real 1.9.0 spec (from ../shared/specs): all 94 operations, importable, mypy-clean, no transport headers."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import load_config
from generator.pipeline import generate
from generator.write import write

from conftest import ROOT, shared_spec

MANAGED = {"signature", "signature_input", "authorization", "upvest_client_id", "idempotency_key"}


@pytest.fixture(scope="module")
def real_upvest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = shared_spec("upvest/upvest-investment-api-1.9.0.yaml")
    result = generate(spec, load_config(ROOT / "pyproject.toml").merged(package="upvest_real_client"))
    assert len(result.api.operations) == 94
    target = tmp_path_factory.mktemp("real-upvest")
    write(result.files, target)
    return target


def test_all_94_operations_generate_as_methods(real_upvest: Path) -> None:
    sys.path.insert(0, str(real_upvest))
    try:
        import upvest_real_client as package

        client = package.Client(base_url="https://example.test")
        methods = []
        for name in dir(client):
            resource = getattr(client, name)
            if name.startswith("_") or not type(resource).__module__.startswith("upvest_real_client.resources"):
                continue
            for method_name, method in inspect.getmembers(resource, inspect.ismethod):
                if not method_name.startswith("_"):
                    methods.append(method)
                    assert not MANAGED & set(inspect.signature(method).parameters), method.__qualname__
        assert len(methods) == 94
    finally:
        sys.path.remove(str(real_upvest))


def test_real_client_passes_mypy_strict(real_upvest: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), "upvest_real_client"],
        cwd=real_upvest,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_cleaned_variant_generates_the_same_operations() -> None:
    spec = shared_spec("upvest/upvest-investment-api-1.9.0-cleaned.yaml")
    result = generate(spec, load_config(ROOT / "pyproject.toml"))
    assert len(result.api.operations) == 94


def test_githubs_client_walks_link_header_pages_against_a_local_server(tmp_path: Path) -> None:
    """Issue 17's done-when: GitHub's spec pages its list operations by the Link header (the notes count them),
    and its client walks three pages of one against a server on 127.0.0.1, sync and async."""
    import asyncio

    from feature_server import FeatureServer, Recorded, Reply
    from generator.config import Config

    result = generate(shared_spec("big-github-api.json"), Config.of(package="github_paging_client"))
    notes = [d.message for d in result.diagnostics if d.code == "paging"]
    assert any(note.startswith("196 list operations page by the Link header") for note in notes), notes
    write(result.files, tmp_path)
    labels = [
        {
            "id": n,
            "node_id": f"L{n}",
            "url": f"https://api.github.test/labels/{n}",
            "name": f"label {n}",
            "description": None,
            "color": "ffffff",
            "default": False,
        }
        for n in range(1, 6)
    ]

    def page(request: Recorded) -> Reply:
        number = int(dict(request.query).get("page", "1"))
        links = f'</repos/o/r/labels?per_page=2&page={number + 1}>; rel="next"' if number < 3 else ""
        return Reply(200, labels[(number - 1) * 2 : number * 2], {"link": links} if links else {})

    sys.path.insert(0, str(tmp_path))
    try:
        github = __import__("github_paging_client")
        with FeatureServer({("GET", "/repos/{owner}/{repo}/labels"): page}) as server:
            with github.Client(base_url=server.base_url) as client:
                names = [label.name for label in client.issues.list_labels_for_repo(owner="o", repo="r", per_page=2)]

            async def walk() -> list[str]:
                async with github.AsyncClient(base_url=server.base_url) as client:
                    pages = client.issues.list_labels_for_repo(owner="o", repo="r", per_page=2)
                    return [label.name async for label in pages]

            async_names = asyncio.run(walk())
            requests = [r.query for r in server.requests]
    finally:
        sys.path.remove(str(tmp_path))
    assert names == async_names == [f"label {n}" for n in range(1, 6)]
    assert requests[:3] == [[("per_page", "2")], [("per_page", "2"), ("page", "2")], [("per_page", "2"), ("page", "3")]]
