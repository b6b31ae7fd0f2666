"""validate(): every broken fixture gives an error with the right code, pointer and line; valid specs pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, UPVEST_SPEC
from expectations import EXPECTED, expected_line
from generator.diagnostics import Diagnostic, SpecError
from generator.load import load
from generator.pipeline import check_spec
from generator.validate import validate

BROKEN = FIXTURES / "broken"
MULTIFILE = FIXTURES / "multifile"


def diagnose(path: Path) -> list[Diagnostic]:
    """What a user would see: load errors, or the validation findings."""
    try:
        document = load(path)
    except SpecError as exc:
        return list(exc.diagnostics)
    return validate(document)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_broken_fixture_has_an_expectation() -> None:
    on_disk = {p.name for p in BROKEN.iterdir() if p.is_file()}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 12


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_fixture_gives_the_expected_error(name: str) -> None:
    path = BROKEN / name
    expected = EXPECTED[name]
    diagnostics = diagnose(path)
    errors = [d for d in diagnostics if d.severity == "error"]
    assert errors, f"{name} gave no error: {diagnostics}"
    # each fixture is broken in exactly one way
    assert [e.code for e in errors] == [expected.code], errors
    error = errors[0]
    assert error.pointer == expected.pointer
    assert error.file == str(path.resolve())
    assert error.line == expected_line(path, expected.line_text)
    assert error.message.strip()
    assert str(path.resolve()) in error.render()


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if EXPECTED[n].code not in ("syntax", "file-empty")))
def test_broken_fixture_fails_check_spec(name: str) -> None:
    with pytest.raises(SpecError) as excinfo:
        check_spec(load(BROKEN / name))
    assert [e.code for e in excinfo.value.errors] == [EXPECTED[name].code]


def test_binary_file_is_an_error(tmp_path: Path) -> None:
    spec = tmp_path / "binary.yaml"
    spec.write_bytes(bytes(range(256)) * 4)
    [error] = diagnose(spec)
    assert (error.severity, error.code, error.file) == ("error", "file-binary", str(spec.resolve()))


def test_duplicate_operation_id_message_names_the_first_use() -> None:
    [error] = diagnose(BROKEN / "duplicate_operation_id.yaml")
    assert "listThings" in error.message
    assert "#/paths/~1pets/get" in error.message


def test_an_undeclared_path_parameter_is_a_warning_that_names_it() -> None:
    """A published spec that forgets to declare a path parameter still generates (a required string argument);
    `--strict` refuses it (tests/runtime/test_spec_quirks.py)."""
    [warning] = diagnose(FIXTURES / "quirks" / "undeclared_path_parameter.yaml")
    assert (warning.severity, warning.code) == ("warning", "undeclared-path-parameter")
    assert "'petId'" in warning.message and warning.pointer == "/paths/~1pets~1{petId}/get"


def test_declared_path_parameter_is_accepted(tmp_path: Path) -> None:
    text = (
        (FIXTURES / "quirks" / "undeclared_path_parameter.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "      operationId: getPet\n",
            "      operationId: getPet\n"
            "      parameters:\n"
            "        - {name: petId, in: path, required: true, schema: {type: integer}}\n",
        )
    )
    assert "parameters" in text
    assert diagnose(write(tmp_path / "api.yaml", text)) == []


def test_path_parameter_declared_on_the_path_item_is_accepted() -> None:
    diagnostics = validate(load(MULTIFILE / "main.yaml"))
    assert [d for d in diagnostics if d.severity == "error"] == []


def test_parameter_ref_inside_a_referenced_path_item_file(tmp_path: Path) -> None:
    main = write(
        tmp_path / "main.yaml",
        'openapi: 3.0.3\ninfo:\n  title: T\n  version: "1"\npaths:\n  /pets/{petId}:\n    $ref: "paths/pet.yaml"\n',
    )
    write(
        tmp_path / "paths" / "pet.yaml",
        'parameters:\n  - $ref: "../parameters/pet_id.yaml"\n'
        'get:\n  operationId: getPet\n  responses:\n    "200":\n      description: OK\n',
    )
    write(tmp_path / "parameters" / "pet_id.yaml", "name: petId\nin: path\nrequired: true\nschema:\n  type: integer\n")
    diagnostics = validate(load(main))
    assert [d for d in diagnostics if d.severity == "error"] == []


def test_dangling_ref_in_a_referenced_file_points_into_that_file(tmp_path: Path) -> None:
    main = write(
        tmp_path / "main.yaml",
        'openapi: 3.0.3\ninfo:\n  title: T\n  version: "1"\npaths:\n  /pets:\n    get:\n      operationId: listPets\n'
        '      responses:\n        "200":\n          description: OK\n          content:\n            application/json:\n'
        '              schema:\n                $ref: "schemas/pet.yaml#/Pet"\n',
    )
    pet = write(
        tmp_path / "schemas" / "pet.yaml",
        "Pet:\n  type: object\n  properties:\n    owner:\n      $ref: '#/Owner'\n",
    )
    [error] = [d for d in validate(load(main)) if d.severity == "error"]
    assert error.code == "ref-unresolvable"
    assert error.file == str(pet.resolve())
    assert error.pointer == "/Pet/properties/owner/$ref"
    assert error.line == 5


def test_missing_info_title(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", 'openapi: 3.0.3\ninfo:\n  version: "1"\npaths: {}\n')
    [error] = [d for d in validate(load(spec)) if d.severity == "error"]
    assert (error.code, error.pointer, error.line) == ("missing-info", "/info", 2)
    assert "title" in error.message


def test_paths_not_a_mapping(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", 'openapi: 3.0.3\ninfo:\n  title: T\n  version: "1"\npaths:\n  - /pets\n')
    [error] = [d for d in validate(load(spec)) if d.severity == "error"]
    assert (error.code, error.pointer, error.line) == ("invalid-paths", "/paths", 5)


def test_openapi_31_with_webhooks_needs_no_paths(tmp_path: Path) -> None:
    spec = write(
        tmp_path / "api.yaml",
        'openapi: 3.1.0\ninfo:\n  title: T\n  version: "1"\nwebhooks:\n  ping:\n    post:\n'
        '      responses:\n        "200":\n          description: OK\n',
    )
    assert [d for d in validate(load(spec)) if d.severity == "error"] == []


def test_unquoted_date_info_version_is_not_missing(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", "openapi: 3.1.0\ninfo:\n  title: T\n  version: 2024-01-01\npaths: {}\n")
    errors = [d for d in validate(load(spec)) if d.severity == "error"]
    assert not any("missing" in e.message for e in errors), errors
    assert errors == []


@pytest.mark.parametrize("version", ["3.0.0", "3.0.3", "3.1.0", "3.1.1"])
def test_supported_versions(tmp_path: Path, version: str) -> None:
    spec = write(tmp_path / "api.yaml", f'openapi: "{version}"\ninfo:\n  title: T\n  version: "1"\npaths: {{}}\n')
    assert [d for d in validate(load(spec)) if d.severity == "error"] == []


@pytest.mark.parametrize("version", ["2.5.0", "4.0.0", "3.2", "3", "3.0"])
def test_unsupported_versions(tmp_path: Path, version: str) -> None:
    spec = write(tmp_path / "api.yaml", f'info:\n  title: T\n  version: "1"\nopenapi: "{version}"\npaths: {{}}\n')
    [error] = [d for d in validate(load(spec)) if d.severity == "error"]
    assert (error.code, error.pointer, error.line) == ("unsupported-version", "/openapi", 4)


# -- the OpenAPI JSON Schema, and openapi-spec-validator -------------------------------------------------------

#: our own checks pass, the OpenAPI schema does not: a 3.0 response needs a description
VALIDATOR_ONLY = (FIXTURES / "validator-only.yaml").read_text(encoding="utf-8")


def test_schema_findings_are_warnings_at_the_offending_node(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", VALIDATOR_ONLY)
    diagnostics = validate(load(spec))
    assert diagnostics, "the OpenAPI schema check found nothing"
    assert all(d.severity == "warning" for d in diagnostics), diagnostics
    finding = diagnostics[0]
    assert finding.code == "spec-invalid"
    assert finding.pointer == "/paths/~1pets/get/responses/200"
    assert finding.line == 10
    assert finding.file == str(spec.resolve())
    assert finding.message == 'OpenAPI schema: "description" is a required property'


def test_schema_findings_name_the_innermost_reason_not_the_oneof(tmp_path: Path) -> None:
    # a property schema with a wrong `type`: the schema says "not valid under any of oneOf" at the property; the
    # reason is one level further down, and the whole offending value is never pasted into the message
    text = VALIDATOR_ONLY.replace("          content:", "          description: OK\n          content:").replace(
        "                type: string",
        "                type: object\n                properties:\n"
        + "                  name: {type: 5, description: "
        + "'"
        + "x" * 300
        + "'}",
    )
    diagnostics = validate(load(write(tmp_path / "api.yaml", text)))
    [finding] = diagnostics
    assert finding.pointer.endswith("/schema/properties/name/type"), finding
    assert "x" * 50 not in finding.message and len(finding.message) < 200, finding.message


def test_schema_findings_with_integer_keys(tmp_path: Path) -> None:
    # YAML reads `200:` as an integer key, which the schema check cannot take as it is: JSON's view is checked
    diagnostics = validate(load(write(tmp_path / "api.yaml", VALIDATOR_ONLY.replace('"200":', "200:"))))
    assert [(d.code, d.pointer) for d in diagnostics] == [("spec-invalid", "/paths/~1pets/get/responses/200")]


def test_swagger2_is_checked_against_the_2_0_schema(tmp_path: Path) -> None:
    text = (
        'swagger: "2.0"\ninfo: {title: T, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200": {}\n'
    )
    diagnostics = validate(load(write(tmp_path / "api.yaml", text)))
    assert [(d.code, d.pointer, d.line) for d in diagnostics] == [("spec-invalid", "/paths/~1a/get/responses/200", 7)]


def test_schema_findings_pass_check_spec_unless_strict(tmp_path: Path) -> None:
    document = load(write(tmp_path / "api.yaml", VALIDATOR_ONLY))
    assert [d.severity for d in check_spec(document)] == ["warning"]
    with pytest.raises(SpecError) as excinfo:
        check_spec(document, strict=True)
    assert excinfo.value.errors == ()
    assert [d.code for d in excinfo.value.diagnostics] == ["spec-invalid"]


def test_structural_false_skips_the_schema_check(tmp_path: Path) -> None:
    assert validate(load(write(tmp_path / "api.yaml", VALIDATOR_ONLY)), structural=False) == []


def test_thorough_adds_openapi_spec_validator(tmp_path: Path) -> None:
    # a default that its own schema rejects: openapi-spec-validator's semantic check, not the JSON Schema's
    text = VALIDATOR_ONLY.replace("          content:", "          description: OK\n          content:").replace(
        "                type: string", "                type: integer\n                default: many"
    )
    document = load(write(tmp_path / "api.yaml", text))
    assert validate(document) == []
    findings = validate(document, thorough=True)
    assert findings and all(d.code == "spec-invalid" and "openapi-spec-validator" in d.message for d in findings)


def test_schema_check_does_not_run_when_there_are_errors() -> None:
    diagnostics = validate(load(BROKEN / "duplicate_operation_id.yaml"), thorough=True)
    assert all(d.code != "spec-invalid" for d in diagnostics)


# -- valid specs ----------------------------------------------------------------------------------------


def test_valid_spec_has_no_errors() -> None:
    diagnostics = validate(load(UPVEST_SPEC))
    assert [d for d in diagnostics if d.severity == "error"] == []
    check_spec(load(UPVEST_SPEC))  # does not raise


def test_multifile_spec_is_valid() -> None:
    diagnostics = validate(load(MULTIFILE / "main.yaml"))
    assert diagnostics == []
