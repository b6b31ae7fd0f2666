"""Swagger 2.0: up-converted to OpenAPI 3.0 and built into the same intermediate model."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import build
from generator.config import Config
from generator.load import load
from generator.model import ArrayType, Primitive, Ref
from generator.swagger import original_pointer, upconvert
from generator.validate import validate

from conftest import GOLDEN, shared_spec

SPEC = GOLDEN / "swagger2.yaml"


@pytest.fixture(scope="module")
def converted() -> dict:
    return load(SPEC).root


def test_servers_from_host_base_path_and_schemes(converted: dict) -> None:
    assert converted["openapi"] == "3.0.3"
    assert converted["servers"] == [{"url": "https://api.example.test/v2"}]


def test_definitions_become_component_schemas_and_refs_follow(converted: dict) -> None:
    schemas = converted["components"]["schemas"]
    assert set(schemas) == {"NewPet", "Pet", "Error"}
    assert schemas["Pet"]["allOf"][0] == {"$ref": "#/components/schemas/NewPet"}
    assert schemas["NewPet"]["properties"]["tag"] == {"type": "string", "nullable": True}


def test_body_parameters_become_request_bodies(converted: dict) -> None:
    post = converted["paths"]["/pets"]["post"]
    assert "parameters" not in post
    assert post["requestBody"]["required"] is True
    assert post["requestBody"]["content"] == {"application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}}


def test_form_data_becomes_form_or_multipart_bodies(converted: dict) -> None:
    photo = converted["paths"]["/pets/{petId}/photo"]["post"]
    (media,) = photo["requestBody"]["content"]
    assert media == "multipart/form-data"
    schema = photo["requestBody"]["content"][media]["schema"]
    assert schema["properties"]["file"] == {"type": "string", "format": "binary"}
    assert schema["required"] == ["file"]
    login = converted["paths"]["/login"]["post"]
    assert list(login["requestBody"]["content"]) == ["application/x-www-form-urlencoded"]


def test_collection_formats_become_styles(converted: dict) -> None:
    parameters = {p.get("name", p.get("$ref")): p for p in converted["paths"]["/pets"]["get"]["parameters"]}
    assert (parameters["tags"]["style"], parameters["tags"]["explode"]) == ("form", False)
    assert (parameters["ids"]["style"], parameters["ids"]["explode"]) == ("form", True)
    assert parameters["#/components/parameters/limitParam"] == {"$ref": "#/components/parameters/limitParam"}
    assert converted["components"]["parameters"]["limitParam"]["schema"] == {"type": "integer", "format": "int32"}


def test_responses_use_produces_and_file_means_binary(converted: dict) -> None:
    report = converted["paths"]["/report"]["get"]["responses"]["200"]
    assert report["content"] == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
    assert converted["paths"]["/pets/{petId}"]["get"]["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}


def test_security_definitions_become_security_schemes(converted: dict) -> None:
    schemes = converted["components"]["securitySchemes"]
    assert schemes["oauth"] == {
        "type": "oauth2",
        "flows": {
            "clientCredentials": {
                "scopes": {"pets:read": "read pets", "pets:write": "change pets"},
                "tokenUrl": "https://auth.example.test/oauth/token",
            }
        },
    }
    assert schemes["key"] == {"type": "apiKey", "name": "X-Api-Key", "in": "header"}


def test_the_model_is_the_same_as_for_openapi_3() -> None:
    api, warnings = build(load(SPEC), Config())
    assert warnings == []
    operations = {op.operation_id: op for op in api.operations}
    assert set(operations) == {"listPets", "addPet", "getPet", "uploadPhoto", "login", "getReport"}
    assert operations["listPets"].return_type == ArrayType(Ref("Pet"))
    assert operations["addPet"].body is not None and operations["addPet"].body.type == Ref("NewPet")
    assert operations["uploadPhoto"].body is not None and operations["uploadPhoto"].body.kind == "multipart"
    assert operations["getPet"].parameters[0].type == Primitive("int")
    assert operations["listPets"].scopes == (("pets:read",),)
    assert api.auth.token_path == "https://auth.example.test/oauth/token"  # another host: kept as a URL
    assert (api.auth.api_key_header, api.auth.api_key_query, api.auth.basic) == ("x-api-key", None, False)


def test_diagnostics_point_at_the_lines_of_the_document_as_written(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text(SPEC.read_text().replace('$ref: "#/definitions/Error"', '$ref: "#/definitions/Nope"'))
    errors = [d for d in validate(load(spec)) if d.severity == "error"]
    assert [d.code for d in errors] == ["ref-unresolvable"]
    line = spec.read_text().splitlines()[errors[0].line - 1]
    assert "#/definitions/Nope" in line
    assert original_pointer("/components/schemas/Pet/properties") == "/definitions/Pet/properties"


def test_conversion_is_iterative_for_deep_documents() -> None:
    deep: dict = {"type": "object"}
    for _ in range(5000):
        deep = {"type": "array", "items": deep}
    converted = upconvert(
        {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}, "definitions": {"Deep": deep}}
    )
    assert converted["components"]["schemas"]["Deep"]["type"] == "array"


@pytest.mark.parametrize(
    "name", ["oai-v2.0-petstore-expanded.json", "oai-v2.0-uber.json", "fin-vipps-recurring-2019.swagger.json"]
)
def test_real_swagger_documents_build(name: str) -> None:
    api, _ = build(load(shared_spec(name)), Config())
    assert api.operations
