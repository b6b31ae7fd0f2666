"""Configuration (issue 8): the schema, clientgen.toml, precedence, names, environments, timeouts and overlays."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from generator.config import DEFAULT_TIMEOUT, SCHEMA, Config, find_config, load_config, reference
from generator.diagnostics import SpecError

PETS = """\
openapi: 3.0.3
info: {title: Pets, version: "1.0"}
servers: [{url: "https://api.pets.example/v1", description: Production}]
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      parameters:
        - {name: status, in: query, schema: {$ref: "#/components/schemas/PetStatus"}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
components:
  schemas:
    PetStatus: {type: string, enum: [available, sold-out]}
    Pet:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        petType: {type: string}
"""


def clientgen(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("CLIENTGEN_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)], cwd=cwd, capture_output=True, text=True, env=env
    )


def project(tmp_path: Path, config: str, *, name: str = "pyproject.toml") -> Path:
    (tmp_path / "api.yaml").write_text(PETS, encoding="utf-8")
    body = config if name == "clientgen.toml" else "[tool.clientgen]\n" + config
    (tmp_path / name).write_text(body, encoding="utf-8")
    return tmp_path


# -- checking the file ------------------------------------------------------------------------------------


def test_unknown_key_names_key_file_and_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.clientgen]\npakage = "x"\n', encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_config(path)
    [error] = caught.value.diagnostics
    assert (error.code, error.file, error.pointer) == ("config-invalid", str(path), "/tool/clientgen/pakage")
    assert "did you mean 'package'?" in error.message


@pytest.mark.parametrize(
    "line, pointer, words",
    [
        ('timeout = "fast"', "/tool/clientgen/timeout", "positive number"),
        ("timeout = -1", "/tool/clientgen/timeout", "positive number"),
        ('managed-headers = "x"', "/tool/clientgen/managed-headers", "list of strings"),
        ('version-policy = "sometimes"', "/tool/clientgen/version-policy", "one of diff, spec, fixed"),
        ('package = "Not-A-Package"', "/tool/clientgen/package", "package name"),
        ("retry = {max-retries = 1.5}", "/tool/clientgen/retry/max-retries", "whole number"),
        ("retry = {max_retries = 1}", "/tool/clientgen/retry/max_retries", "did you mean 'max-retries'?"),
        ('environments = {prod = "ftp://x"}', "/tool/clientgen/environments/prod", "http(s) URL"),
        ('names = {operations = {listPets = "class"}}', "/tool/clientgen/names/operations/listPets", "keyword"),
        ("names = {modles = {}}", "/tool/clientgen/names/modles", "did you mean 'models'?"),
        ('names = {fields = {petType = "kind"}}', "/tool/clientgen/names/fields/petType", "Class.property"),
    ],
)
def test_wrong_values_are_errors_naming_the_key(tmp_path: Path, line: str, pointer: str, words: str) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(f"[tool.clientgen]\n{line}\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_config(path)
    [error] = caught.value.diagnostics
    assert error.pointer == pointer and words in error.message, error


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.clientgen]\ntimout = 3\npagination = "cursor"\n', encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_config(path)
    assert [d.pointer for d in caught.value.diagnostics] == ["/tool/clientgen/timout", "/tool/clientgen/pagination"]


def test_the_command_line_reports_config_errors_with_exit_2(tmp_path: Path) -> None:
    project(tmp_path, 'spec = "api.yaml"\noutput = "out"\ntimeout = true\n')
    run = clientgen("generate", cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert f"{tmp_path / 'pyproject.toml'}: error: 'timeout' must be a positive number" in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "out").exists()


# -- where the configuration comes from ---------------------------------------------------------------------


def test_clientgen_toml_is_read_at_its_top_level_and_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.clientgen]\npackage = "from_pyproject"\n', encoding="utf-8")
    (tmp_path / "clientgen.toml").write_text('package = "from_clientgen"\nspec = "api.yaml"\n', encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_config(nested) == tmp_path / "clientgen.toml"
    config = load_config(find_config(nested))
    assert config.project.package == "from_clientgen" and config.project.spec == tmp_path / "api.yaml"


def test_clientgen_toml_errors_point_at_top_level_keys(tmp_path: Path) -> None:
    path = tmp_path / "clientgen.toml"
    path.write_text('outptu = "x"\n', encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_config(path)
    assert caught.value.diagnostics[0].pointer == "/outptu"
    assert "unknown key 'outptu' in clientgen.toml; did you mean 'output'?" in caught.value.diagnostics[0].message


def test_command_line_options_override_the_file(tmp_path: Path) -> None:
    project(tmp_path, 'spec = "api.yaml"\noutput = "out"\npackage = "from_file"\n', name="clientgen.toml")
    other = tmp_path / "other.yaml"
    other.write_text(PETS.replace("title: Pets", "title: Other"), encoding="utf-8")
    run = clientgen("generate", other, "-o", "elsewhere", "--package", "from_option", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "elsewhere" / "from_option").is_dir() and not (tmp_path / "out").exists()
    assert "from Other 1.0" in (tmp_path / "elsewhere" / "from_option" / "__init__.py").read_text(encoding="utf-8")


def test_a_five_line_config_generates(tmp_path: Path) -> None:
    five = 'spec = "api.yaml"\noutput = "client"\npackage = "pets_client"\ndistribution = "acme-pets"\nenv-prefix = "PETS"\n'
    project(tmp_path, five)
    assert clientgen("generate", cwd=tmp_path).returncode == 0
    assert clientgen("check", cwd=tmp_path).returncode == 0
    config = (tmp_path / "client" / "pets_client" / "_config.py").read_text(encoding="utf-8")
    assert 'ENV_PREFIX: str = "PETS"' in config
    assert 'name = "acme-pets"' in (tmp_path / "client" / "pyproject.toml").read_text(encoding="utf-8")


# -- what the keys do ------------------------------------------------------------------------------------------


def generated(tmp_path: Path, config: str) -> Path:
    project(tmp_path, 'spec = "api.yaml"\noutput = "out"\npackage = "pets_client"\n' + config)
    run = clientgen("generate", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    return tmp_path / "out" / "pets_client"


def run_in(package: Path, script: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=package.parent, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_names_rename_operations_resources_models_fields_and_enum_members(tmp_path: Path) -> None:
    package = generated(
        tmp_path,
        "[tool.clientgen.names]\n"
        'operations = {listPets = "all_pets"}\n'
        'resources = {pets = "animals"}\n'
        'models = {Pet = "Animal"}\n'
        'fields = {"Animal.petType" = "kind"}\n'
        'enum-members = {"PetStatus.sold-out" = "GONE"}\n',
    )
    out = run_in(
        package,
        "import inspect, pets_client as p\n"
        "c = p.Client(base_url='https://x.example')\n"
        "print(hasattr(c.animals, 'all_pets'), hasattr(c, 'pets'))\n"
        "a = p.models.Animal.model_validate({'id': 1, 'petType': 'cat'})\n"
        "print(a.kind, a.model_dump(by_alias=True)['petType'])\n"
        "print(p.models.PetStatus.GONE.value)\n",
    )
    assert out.split() == ["True", "False", "cat", "cat", "sold-out"]


def test_names_that_match_nothing_are_warnings(tmp_path: Path) -> None:
    project(
        tmp_path,
        'spec = "api.yaml"\noutput = "out"\n[tool.clientgen.names]\noperations = {listPest = "x"}\n',
    )
    run = clientgen("generate", cwd=tmp_path)
    assert run.returncode == 0
    assert "names.operations: 'listPest' matches nothing in the spec" in run.stderr and "(names-unused)" in run.stderr
    assert clientgen("generate", "--strict", cwd=tmp_path).returncode == 2


def test_environments_replace_the_spec_servers(tmp_path: Path) -> None:
    package = generated(
        tmp_path,
        '[tool.clientgen.environments]\nstaging = "https://staging.pets.example"\nlive = "https://pets.example/"\n',
    )
    out = run_in(
        package, "import pets_client as p\nprint(dict(p.ENVIRONMENTS))\nprint(p.Client(environment='live').base_url)"
    )
    assert out.splitlines() == [
        "{'staging': 'https://staging.pets.example', 'live': 'https://pets.example'}",
        "https://pets.example",
    ]


def test_timeouts_and_retry_policy_become_the_client_defaults(tmp_path: Path) -> None:
    package = generated(
        tmp_path,
        "timeout = 12.5\nconnect-timeout = 2\n[tool.clientgen.retry]\nmax-retries = 5\ninitial-delay = 0.25\ndeadline = 30\n",
    )
    out = run_in(
        package,
        "import pets_client as p\nfrom pets_client import _base_client as b\n"
        "print(b.DEFAULT_TIMEOUT.read, b.DEFAULT_TIMEOUT.connect)\n"
        "r = p.Client(base_url='https://x.example').retry\nprint(r.max_retries, r.initial_delay, r.max_delay, r.deadline)\n",
    )
    assert out.split() == ["12.5", "2.0", "5", "0.25", "8.0", "30.0"]


def test_defaults_without_timeout_or_retry_keys_are_the_runtime_defaults(tmp_path: Path) -> None:
    package = generated(tmp_path, "")
    out = run_in(
        package,
        "import pets_client as p\nfrom pets_client import _base_client as b\n"
        "print(b.DEFAULT_TIMEOUT.read, b.DEFAULT_TIMEOUT.connect)\n"
        "r = p.Client(base_url='https://x.example').retry\nprint(r.max_retries, r.deadline)\n",
    )
    assert out.split() == ["60.0", "10.0", "3", "120.0"]


# -- template overlays ----------------------------------------------------------------------------------------


def test_an_overlay_template_replaces_the_built_in_one_and_the_rest_stay(tmp_path: Path) -> None:
    copy = clientgen("templates", "copy", "README.md.jinja", tmp_path / "overlay", cwd=tmp_path)
    assert copy.returncode == 0, copy.stderr
    readme = tmp_path / "overlay" / "README.md.jinja"
    readme.write_text(readme.read_text(encoding="utf-8").replace("## Install", "## Installing at ACME"))
    package = generated(tmp_path, 'templates = "overlay"\n')
    assert "## Installing at ACME" in (package.parent / "README.md").read_text(encoding="utf-8")
    assert (package / "_base_client.py").is_file()
    run = clientgen("generate", cwd=tmp_path)
    assert "(overlay-" not in run.stderr and "0 warnings" in run.stderr  # a fresh copy is current: no warning


def test_an_overlay_for_an_older_context_is_announced(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "README.md.jinja").write_text("{# clientgen-context: 0 #}\n# {{ package.distribution }}\n")
    (overlay / "READ_ME.md.jinja").write_text("typo\n")
    generated(tmp_path, 'templates = "overlay"\n')
    run = clientgen("generate", cwd=tmp_path)
    assert "overlay template 'README.md.jinja' was written for context version 0" in run.stderr
    assert "(overlay-outdated)" in run.stderr and "(overlay-unknown)" in run.stderr
    assert (tmp_path / "out" / "README.md").read_text(encoding="utf-8").startswith("# pets-client")


def test_a_missing_overlay_folder_is_an_error(tmp_path: Path) -> None:
    project(tmp_path, 'spec = "api.yaml"\noutput = "out"\ntemplates = "nowhere"\n')
    run = clientgen("generate", cwd=tmp_path)
    assert run.returncode == 2 and "template overlay folder" in run.stderr and "(config-invalid)" in run.stderr


def test_templates_list_and_copy(tmp_path: Path) -> None:
    listed = clientgen("templates", "list", cwd=tmp_path).stdout.split()
    assert "package/resources/resource.py.jinja" in listed and "README.md.jinja" in listed
    assert not any(name.startswith("runtime/") for name in listed)  # the runtime is copied as it is
    target = tmp_path / "o"
    assert clientgen("templates", "copy", "package/_config.py.jinja", target, cwd=tmp_path).returncode == 0
    assert (target / "package" / "_config.py.jinja").read_text(encoding="utf-8").startswith("{# clientgen-context: ")
    again = clientgen("templates", "copy", "package/_config.py.jinja", target, cwd=tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr
    wrong = clientgen("templates", "copy", "package/_cnofig.py.jinja", target, cwd=tmp_path)
    assert wrong.returncode == 2 and "did you mean 'package/_config.py.jinja'?" in wrong.stderr


# -- the reference ---------------------------------------------------------------------------------------------


def test_the_docs_reference_is_generated_from_the_schema() -> None:
    committed = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert (
        committed == reference()
    ), "docs/configuration.md is stale: run `clientgen config reference > docs/configuration.md`"


def test_every_schema_key_sets_a_config_field_and_is_documented() -> None:
    """Each key reads and writes one field of one group, round trip, and the reference lists it."""
    text = reference()
    assert len(SCHEMA) == len({key.name for key in SCHEMA}) == 35
    for key in SCHEMA:
        assert f"| `{key.name}` |" in text
        value = Config().value(key.name)
        changed = Config().inferred({key.name: ("changed",)})
        assert changed.value(key.name) == ("changed",) != value, key.name
        assert changed.origin(key.name) == "inferred" and changed.origins == ((key.name, "inferred"),)


def test_defaults_are_written_once_in_the_groups() -> None:
    """The reference shows the defaults the groups hold (timeouts as numbers), and `config show` prints them."""
    by_name = {key.name: key for key in SCHEMA}
    assert by_name["timeout"].default == f"{DEFAULT_TIMEOUT:g}" and Config().client.timeout == DEFAULT_TIMEOUT
    assert by_name["page-limit-param"].default == Config().paging.limit_param == "limit"
    assert by_name["pagination"].group == "Pagination" and by_name["names"].group == "Names"
    with pytest.raises(TypeError, match="unknown configuration key"):
        Config.of(page_size=3)


def test_check_takes_the_package_generate_was_given(tmp_path: Path) -> None:
    project(tmp_path, 'spec = "api.yaml"\noutput = "out"\n')
    assert clientgen("generate", "--package", "pets_api", cwd=tmp_path).returncode == 0
    assert clientgen("check", "--package", "pets_api", cwd=tmp_path).returncode == 0
    assert clientgen("check", cwd=tmp_path).returncode == 1
