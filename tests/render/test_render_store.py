"""The render store: modules rendered by an earlier run are reused only when everything that went into them is the
same, and a regeneration renders again only what a change touches."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import generator.render as render_module
from generator.config import load_config
from generator.format import FormatCache
from generator.pipeline import build_api
from generator.render import _docstring, docstring, render

SPEC = Path(__file__).resolve().parents[2] / "specs" / "upvest-investment-api.yaml"


def _spec(tmp_path: Path, edit: object = None) -> Path:
    document = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    if callable(edit):
        edit(document)
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def _render(spec: Path, cache: FormatCache | None, overlay: Path | None = None) -> dict[str, str]:
    api, _ = build_api(spec, load_config(None))
    files = render(api, spec_name=spec.name, cache=cache, overlay=overlay)
    if cache is not None:
        cache.save()
    return files


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The resource modules whose context was worked out (rendered, not taken from the store), by group."""
    calls: list[str] = []
    original = render_module._resource_context

    def counting(group, methods, spell):  # type: ignore[no-untyped-def]
        calls.append(group.module)
        return original(group, methods, spell)

    monkeypatch.setattr(render_module, "_resource_context", counting)
    return calls


def _first_summary(document: dict) -> tuple[str, str]:  # type: ignore[type-arg]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                return path, method
    raise AssertionError("the spec has no operation")


def _first_object(node: object) -> dict:  # type: ignore[type-arg]
    """The first object schema (one with properties) in the spec's order."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            return node
        children = list(node.values())
    else:
        children = list(node) if isinstance(node, list) else []
    for child in children:
        try:
            return _first_object(child)
        except LookupError:
            continue
    raise LookupError("no object schema")


def test_a_regeneration_renders_only_the_resource_a_change_touches(tmp_path: Path, made: list[str]) -> None:
    first = _render(_spec(tmp_path), FormatCache(tmp_path / "cache"))
    modules = len(made)
    assert modules > 3
    made.clear()

    def edit(document: dict) -> None:  # type: ignore[type-arg]
        path, method = _first_summary(document)
        document["paths"][path][method]["summary"] = "A summary changed by the test"

    spec = _spec(tmp_path, edit)
    again = _render(spec, FormatCache(tmp_path / "cache"))
    assert len(made) == 1  # the one resource whose operation changed
    assert again == _render(spec, None)  # and all of it as a run without the store makes it
    changed = sorted(path for path in again if again[path] != first[path])
    assert [path for path in changed if "/resources/" in path] == [
        f"upvest_investment_api_client/resources/{made[0]}.py"
    ]
    made.clear()
    assert _render(spec, FormatCache(tmp_path / "cache")) == again and made == []


def test_a_schema_change_renders_every_resource_and_the_models_again(
    tmp_path: Path, made: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _render(_spec(tmp_path), FormatCache(tmp_path / "cache"))
    modules = len(made)
    made.clear()
    contexts: list[object] = []
    original = render_module._models_context
    monkeypatch.setattr(render_module, "_models_context", lambda api: contexts.append(api) or original(api))

    def edit(document: dict) -> None:  # type: ignore[type-arg]
        _first_object(document["paths"])["description"] = "A model's description changed by the test"

    spec = _spec(tmp_path, edit)
    assert _render(spec, FormatCache(tmp_path / "cache")) == _render(spec, None)
    assert len(made) == modules * 2 and len(contexts) == 2  # the store's run, then the run without it


def test_other_generator_code_is_a_miss(tmp_path: Path, made: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code = tmp_path / "code"
    code.mkdir()
    (code / "render.py").write_text("one", encoding="utf-8")
    monkeypatch.setattr(render_module, "_code_roots", lambda overlay: [code])
    spec = _spec(tmp_path)
    _render(spec, FormatCache(tmp_path / "cache"))
    modules = len(made)
    _render(spec, FormatCache(tmp_path / "cache"))
    assert len(made) == modules  # the same code: all from the store
    (code / "render.py").write_text("two", encoding="utf-8")  # same size, other content
    _render(spec, FormatCache(tmp_path / "cache"))
    assert len(made) == modules * 2


def test_with_an_overlay_a_change_anywhere_renders_every_module_again(tmp_path: Path, made: list[str]) -> None:
    overlay = tmp_path / "overlay"
    (overlay / "package").mkdir(parents=True)
    (overlay / "package" / "_config.py.jinja").write_text(
        (render_module.templates_root() / "package" / "_config.py.jinja").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    _render(_spec(tmp_path), FormatCache(tmp_path / "cache"), overlay)
    modules = len(made)
    made.clear()

    def edit(document: dict) -> None:  # type: ignore[type-arg]
        path, method = _first_summary(document)
        document["paths"][path][method]["summary"] = "A summary changed by the test"

    spec = _spec(tmp_path, edit)
    assert _render(spec, FormatCache(tmp_path / "cache"), overlay) == _render(spec, None, overlay)
    assert len(made) == modules * 2  # an overlay's template may read any resource: none was reused


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E)), indent=st.sampled_from([0, 4, 8]))
def test_the_one_line_docstring_shortcut_agrees_with_the_full_path(text: str, indent: int) -> None:
    assert docstring(text, indent) == _docstring(text, indent)
