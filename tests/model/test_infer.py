"""What clientgen infers from a spec and takes from a vendor profile (generator/infer.py), and what it tells the
user about it: client settings, the request id header, signed components, profiles, notes, `config show`."""

from __future__ import annotations

import builtins
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from generator import config as config_module
from generator.build import build
from generator.config import AuthSettings, Config, load_profile, profile_names
from generator.diagnostics import SpecError
from generator.infer import client_setting_names, settle
from generator.load import load, load_text
from generator.model import Primitive
from generator.pipeline import generate
from generator.write import write

from conftest import ROOT


def tenant_spec(
    *, servers: tuple[str, ...] = ("https://api.acme.example",), trace_everywhere: bool = False
) -> dict[str, Any]:
    """Three operations that all declare a tenant header, an API version header and signature headers; one
    declares a trace header, the POST an idempotency key; most responses declare `acme-request-id`."""
    tenant = {"name": "X-Tenant-Id", "in": "header", "required": True, "schema": {"type": "string", "format": "uuid"}}
    version = {"name": "x-api-version", "in": "header", "schema": {"type": "string", "enum": ["2"], "default": "2"}}
    signature = {"name": "signature", "in": "header", "required": True, "schema": {"type": "string"}}
    signature_input = {"name": "signature-input", "in": "header", "required": True, "schema": {"type": "string"}}
    trace = {"name": "x-trace", "in": "header", "schema": {"type": "string"}}
    common = [{"$ref": "#/components/parameters/Tenant"}, version, signature, signature_input]
    request_id = {"acme-request-id": {"schema": {"type": "string"}}}
    ok = {
        "description": "ok",
        "headers": request_id,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Acme Tenant API", "version": "1.0"},
        "servers": [{"url": url} for url in servers],
        "paths": {
            "/items": {
                "get": {
                    "operationId": "listItems",
                    "tags": ["items"],
                    "parameters": [*common, trace] if trace_everywhere else common,
                    "security": [{"oauth": ["items:read", "items:admin"]}],
                    "responses": {"200": ok, "default": {"description": "error"}},
                },
                "post": {
                    "operationId": "createItem",
                    "tags": ["items"],
                    "parameters": [
                        *common,
                        *([trace] if trace_everywhere else []),
                        {"name": "idempotency-key", "in": "header", "schema": {"type": "string"}},
                    ],
                    "security": [{"oauth": ["items:admin"]}],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                    },
                    "responses": {"201": ok},
                },
            },
            "/items/{item_id}": {
                "get": {
                    "operationId": "getItem",
                    "tags": ["items"],
                    "parameters": [
                        {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}},
                        *common,
                        trace,
                    ],
                    "security": [{"oauth": ["items:read", "items:admin"]}],
                    "responses": {"200": ok},
                }
            },
        },
        "components": {
            "parameters": {"Tenant": tenant},
            "schemas": {"Item": {"type": "object", "properties": {"name": {"type": "string"}}}},
            "securitySchemes": {
                "oauth": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "https://api.acme.example/oauth/token",
                            "scopes": {"items:read": "read", "items:admin": "write"},
                        }
                    },
                }
            },
        },
    }


def settled(spec: dict[str, Any], config: Config | None = None) -> tuple[Config, list[Any]]:
    return settle(load_text(yaml.safe_dump(spec, sort_keys=False)), config or Config())


def built(spec: dict[str, Any], config: Config | None = None) -> Any:
    api, diagnostics = build(load_text(yaml.safe_dump(spec, sort_keys=False)), config or Config())
    return api, diagnostics


def arguments(api: Any, operation: str) -> list[str]:
    op = next(o for o in api.operations if o.operation_id == operation)
    return [p.name for p in op.parameters]


# -- inference --------------------------------------------------------------------------------------------------


def test_a_header_every_operation_declares_alike_is_a_client_setting() -> None:
    config, notes = settled(tenant_spec())
    assert config.client.client_headers == ("x-api-version", "x-tenant-id")
    assert config.origin("client-headers") == "inferred"
    api, _ = built(tenant_spec())
    assert [(h.name, h.python_name, h.env_var, h.required, h.default) for h in api.client_headers] == [
        ("x-api-version", "x_api_version", "ACME_X_API_VERSION", False, "2"),
        ("x-tenant-id", "x_tenant_id", "ACME_X_TENANT_ID", True, None),
    ]
    assert arguments(api, "getItem") == ["item_id", "x-trace"]  # one operation's header stays an argument
    messages = [n.message for n in notes if n.code == "client-header"]
    assert messages == [
        "header 'x-api-version' is declared by 3 of 3 operations: made a client setting (x_api_version=,"
        " ACME_X_API_VERSION), sent on every request, never a method argument (client-headers)",
        "header 'x-tenant-id' is declared by 3 of 3 operations: made a client setting (x_tenant_id=,"
        " ACME_X_TENANT_ID), sent on every request, never a method argument (client-headers)",
    ]
    tenant_note = next(n for n in notes if "x-tenant-id" in n.message)
    assert tenant_note.severity == "note" and tenant_note.pointer == "/components/parameters/Tenant"
    assert tenant_note.line is not None


def test_a_header_some_operations_lack_or_declare_differently_stays_an_argument() -> None:
    spec = tenant_spec(trace_everywhere=True)
    assert "x-trace" in settled(spec)[0].client.client_headers  # declared by all three: a setting
    spec["paths"]["/items"]["post"]["parameters"][4] = {
        "name": "x-trace",
        "in": "header",
        "schema": {"type": "integer"},
    }
    assert "x-trace" not in settled(spec)[0].client.client_headers  # two schemas: an argument
    single = tenant_spec()
    del single["paths"]["/items/{item_id}"], single["paths"]["/items"]["post"]
    assert settled(single)[0].client.client_headers == ()  # one operation is no evidence


def test_the_configuration_overrides_every_inference_and_gets_no_note() -> None:
    given = Config().merged(client_headers=(), request_id_header="x-id", signing_components=("@method",))
    config, notes = settled(tenant_spec(), given)
    assert (config.client.client_headers, config.client.request_id_header, config.auth.signing_components) == (
        (),
        "x-id",
        ("@method",),
    )
    assert notes == []
    api, _ = built(tenant_spec(), given)
    assert api.client_headers == ()
    assert arguments(api, "listItems") == ["X-Tenant-Id", "x-api-version"]


def test_a_configured_client_header_no_operation_declares_is_a_warning(tmp_path: Path) -> None:
    api, diagnostics = built(tenant_spec(), Config().merged(client_headers=("x-tenant-id", "x-nope")))
    assert [h.name for h in api.client_headers] == ["x-tenant-id"]
    (warning,) = [d for d in diagnostics if d.severity == "warning"]
    assert warning.code == "client-header-unused" and "'x-nope'" in warning.message
    (tmp_path / "clientgen.toml").write_text('managed-headers = ["x-a"]\nclient-headers = ["X-A"]\n')
    with pytest.raises(SpecError) as raised:
        config_module.load_config(tmp_path / "clientgen.toml")
    assert "x-a: a header is a client setting or managed, not both" in raised.value.diagnostics[0].message


def test_the_request_id_header_is_the_one_most_responses_declare() -> None:
    config, notes = settled(tenant_spec())
    assert config.client.request_id_header == "acme-request-id"
    note = next(n for n in notes if n.code == "request-id-header")
    assert "declared by 3 of 4 responses" in note.message
    spec = tenant_spec()
    spec["paths"]["/items"]["get"]["responses"]["200"] = {"description": "no header"}
    spec["paths"]["/items"]["get"]["responses"]["404"] = {"description": "no header"}
    config, notes = settled(spec)  # 2 of 5 responses: not most
    assert config.client.request_id_header is None and not any(n.code == "request-id-header" for n in notes)
    api, _ = built(spec)
    assert api.package.request_id_header == "x-request-id"


def test_signed_components_cover_what_the_client_sets_that_the_spec_declares() -> None:
    config, notes = settled(tenant_spec())
    assert config.auth.signing_components == (
        "@method",
        "@path",
        "@query",
        "authorization",
        "content-digest",
        "content-length",
        "content-type",
        "idempotency-key",
        "x-api-version",
        "x-tenant-id",
    )
    assert any(n.code == "signing-components" for n in notes)
    unsigned = tenant_spec()
    for item in unsigned["paths"].values():
        for operation in item.values():
            operation["parameters"] = [p for p in operation["parameters"] if "signature" not in str(p.get("name"))]
    assert settled(unsigned)[0].auth.signing_components is None


def test_setting_names_avoid_the_client_arguments_and_variables() -> None:
    assert client_setting_names("upvest-api-version", "UPVEST") == ("upvest_api_version", "UPVEST_API_VERSION")
    # UPVEST_CLIENT_ID is the OAuth client id's variable: the tenant header keeps its whole name
    assert client_setting_names("upvest-client-id", "UPVEST") == ("upvest_client_id", "UPVEST_UPVEST_CLIENT_ID")
    assert client_setting_names("timeout", "ACME") == ("timeout_header", "ACME_TIMEOUT")
    taken: set[str] = set()
    assert client_setting_names("x-a", "ACME", taken) == ("x_a", "ACME_X_A")
    assert client_setting_names("X_A", "ACME", taken) == ("x_a_header", "ACME_X_A_HEADER")


# -- vendor profiles --------------------------------------------------------------------------------------------


def test_a_profile_is_detected_from_the_servers_and_the_configuration_wins() -> None:
    spec = tenant_spec(servers=("https://sandbox.upvest.co",))
    config, notes = settled(spec)
    assert (config.auth.requirement_scopes, config.auth.signature_version) == ("any", "15")
    assert config.origin("requirement-scopes") == "profile"
    assert notes[0].code == "profile" and "server https://sandbox.upvest.co matches *.upvest.co" in notes[0].message
    assert notes[0].pointer == "/servers/0"
    assert {n.message.split(" =")[0] for n in notes if n.code == "profile-value"} == {
        "client-id-header",
        "requirement-scopes",
        "signature-version",
        "signature-version-header",
    }
    mine = Config(auth=AuthSettings(requirement_scopes="all"), origins=(("requirement-scopes", "file"),))
    config, notes = settled(spec, mine)
    assert config.auth.requirement_scopes == "all" and config.origin("requirement-scopes") == "file"
    assert "the configuration overrides its requirement-scopes" in notes[0].message
    off, notes = settled(spec, Config().merged(profile="none"))
    assert off.auth.requirement_scopes == "all" and off.auth.signature_version is None
    assert not any(n.code.startswith("profile") for n in notes)


def test_a_profile_named_in_the_configuration_applies_to_any_spec() -> None:
    config, notes = settled(tenant_spec(), Config().merged(profile="upvest"))
    assert config.auth.requirement_scopes == "any"
    assert 'applies: profile = "upvest"' in notes[0].message
    assert settled(tenant_spec())[0].auth.requirement_scopes == "all"  # no server matched: no profile


def test_any_of_a_requirements_scopes_gives_least_privilege_reads() -> None:
    """A requirement listing `x:read` and `x:admin`: all of them by default, either one under the profile."""
    api, _ = built(tenant_spec())
    assert next(o for o in api.operations if o.python_name == "list").scopes == (("items:read", "items:admin"),)
    api, _ = built(tenant_spec(), Config().merged(profile="upvest"))
    read = next(o for o in api.operations if o.python_name == "list")
    assert read.scopes == (("items:read",), ("items:admin",))


def test_the_client_id_header_of_a_profile_is_sent_with_the_client_id() -> None:
    spec = tenant_spec(servers=("https://api.upvest.co",))
    for item in spec["paths"].values():
        for operation in item.values():
            operation["parameters"].append(
                {"name": "upvest-client-id", "in": "header", "required": True, "schema": {"type": "string"}}
            )
    api, diagnostics = built(spec)
    assert api.auth.client_id_header == "upvest-client-id"
    assert "upvest-client-id" not in [h.name for h in api.client_headers]
    assert all("upvest-client-id" not in arguments(api, o.operation_id) for o in api.operations)
    note = next(d for d in diagnostics if d.code == "client-header" and "upvest-client-id" in d.message)
    assert "sent on every request with the client id (client_id=, ACME_CLIENT_ID)" in note.message


def test_the_shipped_profiles_load_and_set_only_facts_about_the_api() -> None:
    assert profile_names() == ("upvest",)
    allowed = {k.name for k in config_module.SCHEMA if k.group in ("Generated client", "Auth", "Pagination")}
    for name in profile_names():
        profile = load_profile(name)
        assert profile.servers and profile.description
        keys = {key for key, _ in profile.config.origins}
        assert keys and keys <= allowed, f"{name}: {keys - allowed} are not facts about an API"
        assert {k for k, _ in profile.reasons} == keys, f"{name}: every value says where it comes from"


def test_a_broken_profile_is_an_error_naming_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "acme.toml").write_text('[profile]\nservers = ["*.acme.example"]\n[settings]\npackage = "x"\n')
    monkeypatch.setattr(config_module, "PROFILES", tmp_path)
    config_module.load_profile.cache_clear()
    try:
        with pytest.raises(SpecError) as raised:
            settled(tenant_spec())
    finally:
        config_module.load_profile.cache_clear()
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code == "profile-invalid" and diagnostic.file.endswith("acme.toml")
    assert diagnostic.pointer == "/settings/package" and "belongs to the user's project" in diagnostic.message


def test_an_unknown_profile_in_the_configuration_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "clientgen.toml").write_text('profile = "nope"\n')
    with pytest.raises(SpecError) as raised:
        config_module.load_config(tmp_path / "clientgen.toml")
    assert "'profile' must be one of auto, none, upvest" in raised.value.diagnostics[0].message


# -- the generated client ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tenant_client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("tenant")
    spec = folder / "acme.yaml"
    spec.write_text(yaml.safe_dump(tenant_spec(), sort_keys=False), encoding="utf-8")
    write(generate(spec, Config.of(package="acme_tenant_client")).files, folder / "out")
    sys.path.insert(0, str(folder / "out"))
    try:
        import acme_tenant_client  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(folder / "out"))
    return acme_tenant_client


def _recording() -> tuple[list[httpx.Request], httpx.Client]:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"name": "a"}, headers={"acme-request-id": "r-1"})

    return seen, httpx.Client(transport=httpx.MockTransport(answer))


def test_client_settings_are_sent_on_every_request(tenant_client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACME_X_TENANT_ID", raising=False)
    seen, http = _recording()
    client = tenant_client.Client(base_url="http://acme.test", access_token="t", x_tenant_id="t-1", http_client=http)
    item = client.items.get(item_id="a", x_trace="tr")
    client.items.list()
    assert [r.headers["x-tenant-id"] for r in seen] == ["t-1", "t-1"]
    assert [r.headers["x-api-version"] for r in seen] == ["2", "2"]  # the spec's default
    assert seen[0].headers["x-trace"] == "tr" and item.request_id == "r-1"  # the inferred request id header
    monkeypatch.setenv("ACME_X_TENANT_ID", "from-env")
    seen, http = _recording()
    client = tenant_client.Client(base_url="http://acme.test", access_token="t", x_api_version="2", http_client=http)
    client.items.list()
    assert seen[0].headers["x-tenant-id"] == "from-env"


def test_a_required_client_setting_not_given_refuses_the_call_before_sending(
    tenant_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACME_X_TENANT_ID", raising=False)
    seen, http = _recording()
    client = tenant_client.Client(base_url="http://acme.test", access_token="t", http_client=http)
    with pytest.raises(ValueError, match=r"pass x_tenant_id= \(or ACME_X_TENANT_ID\) to the client"):
        client.items.list()
    assert seen == []
    headed = tenant_client.Client(
        base_url="http://acme.test", access_token="t", headers={"X-Tenant-Id": "h"}, http_client=http
    )
    headed.items.list()  # a header given as headers= counts
    assert seen[0].headers["x-tenant-id"] == "h"


def test_a_client_with_client_settings_passes_mypy_strict(tenant_client: Any, tmp_path: Path) -> None:
    package = Path(tenant_client.__file__).parent
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), package.name],
        cwd=package.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]


def test_the_tenant_header_is_not_a_method_argument(tenant_client: Any) -> None:
    import inspect

    for method in (tenant_client.Client(base_url="http://x").items.list, tenant_client.AsyncClient().items.get):
        assert "x_tenant_id" not in inspect.signature(method).parameters
    assert "x_tenant_id" in inspect.signature(tenant_client.Client).parameters


# -- what the user is told --------------------------------------------------------------------------------------


def _clientgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CLIENTGEN_DEBUG", "NO_COLOR")}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )


@pytest.fixture
def empty_folder(tmp_path: Path) -> Path:
    (tmp_path / "acme.yaml").write_text(yaml.safe_dump(tenant_spec(), sort_keys=False), encoding="utf-8")
    return tmp_path


def test_notes_are_printed_once_each_and_never_fail_a_strict_run(empty_folder: Path) -> None:
    run = _clientgen("generate", "acme.yaml", "-o", "client", "--strict", cwd=empty_folder)
    assert run.returncode == 0, run.stderr
    assert "acme.yaml: 4 notes" in run.stderr
    assert run.stderr.count("note: header 'x-tenant-id' is declared by 3 of 3 operations") == 1
    assert "0 warnings" in run.stderr.splitlines()[-1]
    quiet = _clientgen("generate", "acme.yaml", "-o", "client", "-q", cwd=empty_folder)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_notes_are_in_the_json_report(empty_folder: Path) -> None:
    run = _clientgen("generate", "acme.yaml", "-o", "client", "--format", "json", cwd=empty_folder)
    document = json.loads(run.stdout)
    notes = [d for d in document["diagnostics"] if d["severity"] == "note"]
    assert {d["code"] for d in notes} == {"client-header", "request-id-header", "signing-components"}
    assert all(d["file"].endswith("acme.yaml") and d["line"] for d in notes)
    assert document["summary"]["warnings"] == 0


def test_config_show_says_where_each_value_comes_from(empty_folder: Path) -> None:
    (empty_folder / "clientgen.toml").write_text('profile = "upvest"\nrequirement-scopes = "all"\n')
    run = _clientgen("config", "show", "acme.yaml", "--package", "acme", cwd=empty_folder)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[1] == '# spec: acme.yaml; vendor profile upvest (profile = "upvest")'
    assert "package = 'acme'  # option" in lines
    assert "profile = 'upvest'  # file" in lines
    assert "requirement-scopes = 'all'  # file" in lines
    assert "signature-version = '15'  # profile upvest" in lines
    assert "request-id-header = 'acme-request-id'  # inferred" in lines
    assert "idempotency-header = 'idempotency-key'  # default" in lines


def test_the_repository_configuration_infers_nothing_it_sets() -> None:
    """Our spec with the repository's configuration: only the profile's note; output/ stays as it was."""
    from generator.pipeline import build_api

    api, diagnostics = build_api(
        ROOT / "specs" / "upvest-investment-api.yaml", config_module.load_config(ROOT / "pyproject.toml")
    )
    notes = [d for d in diagnostics if d.severity == "note"]
    assert [n.code for n in notes] == ["profile"]
    assert api.client_headers == ()


def test_hostile_client_header_names_values_and_defaults_stay_data(tmp_path: Path) -> None:
    """Spec text reaches the generated code of a client setting only as escaped literals and safe names."""
    evil = 'x-evil"\nimport os; os.system("touch PWNED")#'
    header = {
        "name": evil,
        "in": "header",
        "required": True,
        "schema": {"type": "string", "enum": ['a"b\\\\', "'''"], "default": '"\n__import__("os")'},
        "description": '"""\nimport os\n',
    }
    ok = {"200": {"description": "ok"}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Evil", "version": "1"},
        "paths": {
            "/a": {"get": {"operationId": "a", "parameters": [header], "responses": ok}},
            "/b": {"get": {"operationId": "b", "parameters": [header], "responses": ok}},
        },
    }
    (tmp_path / "evil.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    result = generate(tmp_path / "evil.yaml", Config.of(package="evil_client"))
    (setting,) = result.api.client_headers
    assert setting.python_name.isidentifier() and setting.env_var.replace("_", "").isalnum()
    write(result.files, tmp_path / "out")
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import evil_client as e, inspect; print(sorted(inspect.signature(e.Client).parameters))",
        ],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert setting.python_name in run.stdout
    assert not (tmp_path / "out" / "PWNED").exists() and not (tmp_path / "PWNED").exists()
    readme = result.files["README.md"]
    from corpus import readme_compile_errors

    assert readme_compile_errors(readme) == []


# -- what the review of the first version found -----------------------------------------------------------------


def _everyone_declares(spec: dict[str, Any], parameter: dict[str, Any], *, but: str = "") -> dict[str, Any]:
    for path, item in spec["paths"].items():
        for operation in item.values():
            if operation["operationId"] != but:
                operation["parameters"].append(parameter)
    return spec


def test_a_setting_some_operations_lack_is_optional_and_per_call_headers_count(tmp_path: Path) -> None:
    required = {"name": "x-region", "in": "header", "required": True, "schema": {"type": "string"}}
    spec = _everyone_declares(tenant_spec(), required, but="getItem")
    for item in spec["paths"].values():  # 9 of 10 operations: still "nearly every"
        for index in range(7):
            item.setdefault(f"x{index}", None)
    api, _ = built(spec, Config().merged(client_headers=("x-region", "x-tenant-id")))
    settings = {h.name: h.required for h in api.client_headers}
    assert settings == {"x-region": False, "x-tenant-id": True}  # getItem does not declare x-region


def test_options_headers_give_a_required_setting_for_one_call(
    tenant_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACME_X_TENANT_ID", raising=False)
    seen, http = _recording()
    client = tenant_client.Client(base_url="http://acme.test", access_token="t", http_client=http)
    client.items.list(options={"headers": {"X-Tenant-Id": "per-call"}})
    assert seen[0].headers["x-tenant-id"] == "per-call"


def test_setting_names_never_shadow_what_the_constructor_uses() -> None:
    assert client_setting_names("super", "ACME")[0] == "super_header"
    assert client_setting_names("resolve-base-url", "ACME")[0] == "resolve_base_url_header"
    assert client_setting_names("print", "ACME")[0] not in dir(builtins)


def test_per_request_headers_are_never_settings() -> None:
    spec = tenant_spec()
    for header in ("X-Request-ID", "x-correlation-id", "traceparent", "X-Idempotency-Key"):
        _everyone_declares(spec, {"name": header, "in": "header", "schema": {"type": "string"}})
    assert settled(spec)[0].client.client_headers == ("x-api-version", "x-tenant-id")


def test_an_integer_enum_setting_is_an_int_shown_with_a_value_of_the_spec(tmp_path: Path) -> None:
    spec = _everyone_declares(
        tenant_spec(),
        {"name": "x-level", "in": "header", "required": True, "schema": {"type": "integer", "enum": [5, 7]}},
    )
    api, _ = built(spec)
    (level,) = [h for h in api.client_headers if h.name == "x-level"]
    assert level.type == Primitive("int") and level.example == 5
    assert not [s for s in api.schemas if "Level" in s.name]  # no enum class nobody uses
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    readme = generate(tmp_path / "s.yaml", Config.of(package="lvl")).files["README.md"]
    assert "    x_level=5,\n" in readme


def test_transport_headers_cannot_be_client_settings(tmp_path: Path) -> None:
    (tmp_path / "clientgen.toml").write_text('client-headers = ["Authorization"]\n')
    with pytest.raises(SpecError) as raised:
        config_module.load_config(tmp_path / "clientgen.toml")
    assert "authorization: set by the client itself, never a client setting" in raised.value.diagnostics[0].message


def test_values_given_to_config_in_python_are_never_overridden() -> None:
    given = Config.of(client_headers=(), request_id_header="x-other", profile="upvest")
    assert given.origin("request-id-header") == "option" and given.origin("spec") == "default"
    given = given.merged(requirement_scopes="all")  # the default's value, given: merged() says so
    config, _ = settled(tenant_spec(), given)
    assert (config.client.client_headers, config.client.request_id_header, config.auth.requirement_scopes) == (
        (),
        "x-other",
        "all",
    )


def test_every_value_a_profile_sets_reaches_the_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = '[profile]\ndescription = "Acme"\nservers = ["*.acme.example"]\n[settings]\nwebhook-type-field = "kind"\n'
    (tmp_path / "acme.toml").write_text(text + '[reasons]\nwebhook-type-field = "the docs"\n')
    monkeypatch.setattr(config_module, "PROFILES", tmp_path)
    config_module.load_profile.cache_clear()
    try:
        api, notes = built(tenant_spec())
    finally:
        config_module.load_profile.cache_clear()
    assert api.webhook_type_field == "kind"
    assert any(n.message == 'webhook-type-field = "kind": the docs' for n in notes)


def test_the_profile_note_of_a_swagger2_spec_points_at_its_host(tmp_path: Path) -> None:
    swagger = {
        "swagger": "2.0",
        "info": {"title": "Up", "version": "1"},
        "host": "api.upvest.co",
        "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}}},
    }
    (tmp_path / "up.json").write_text(json.dumps(swagger, indent=1), encoding="utf-8")
    _, notes = settle(load(tmp_path / "up.json"), Config())
    assert notes[0].code == "profile" and notes[0].pointer == "/host" and notes[0].line is not None
