"""`clientgen diff`: one spec pair per kind of change (tests/fixtures/diff/<case>/old.yaml, new.yaml), the
command line, and Upvest's real 1.9.0 spec against its cleaned copy (from ../shared/specs)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from generator.config import Config, load_config
from generator.cli import DIFF_FORMATS
from generator.diff import FORMATS, Report, Version, as_markdown, as_text, diff, fails, load_version, summary

from conftest import FIXTURES, ROOT, shared_spec
from expectations import clientgen, no_traceback

CASES = FIXTURES / "diff"

LIST = "GET /orders (listOrders)"
PLACE = "POST /orders (placeOrder)"
GET = "GET /orders/{order_id} (getOrder)"

#: case -> (bump, [(check id, severity, location), ...] in report order)
EXPECTED: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "body_arguments_changed": (
        "major",
        [
            ("clientgen-body-arguments-changed", "breaking", PLACE),
            ("new-optional-request-parameter", "compatible", PLACE),
        ],
    ),
    "component_renamed": ("major", [("clientgen-model-renamed", "breaking", "schema OrderRequest")]),
    "documentation_changed": ("patch", [("clientgen-documentation-changed", "compatible", LIST)]),
    "error_status_removed": ("patch", [("response-non-success-status-removed", "compatible", GET)]),
    "example_only": ("none", []),
    "field_deprecated": ("patch", [("response-property-deprecated", "compatible", "schema Order")]),
    "field_renamed_by_collision": (
        "major",
        [
            ("clientgen-attribute-renamed", "breaking", "schema Order"),
            ("response-optional-property-added", "compatible", "schema Order"),
        ],
    ),
    "inline_class_changed": ("none", []),
    "operation_added": ("minor", [("endpoint-added", "compatible", "DELETE /orders/{order_id} (cancelOrder)")]),
    "operation_deprecated": ("patch", [("endpoint-deprecated", "compatible", GET)]),
    "operation_id_changed": (
        "major",
        [
            ("api-operation-id-removed", "breaking", "POST /orders (submitOrder)"),
            ("clientgen-method-renamed", "breaking", "POST /orders (submitOrder)"),
        ],
    ),
    "operation_removed": ("major", [("api-path-removed-without-deprecation", "breaking", GET)]),
    "parameter_added_optional": ("minor", [("new-optional-request-parameter", "compatible", LIST)]),
    "parameter_added_required": ("major", [("new-required-request-parameter", "breaking", LIST)]),
    "parameter_became_required": ("major", [("request-parameter-became-required", "breaking", LIST)]),
    "parameter_format_changed": ("major", [("request-parameter-type-generalized", "breaking", GET)]),
    "parameter_removed": ("major", [("request-parameter-removed", "breaking", LIST)]),
    "parameter_type_changed": ("major", [("request-parameter-type-changed", "breaking", LIST)]),
    "path_changed": ("major", [("clientgen-path-changed", "breaking", "GET /executions (listFills)")]),
    "path_parameter_renamed": (
        "major",
        [("clientgen-path-parameter-renamed", "breaking", "GET /orders/{id} (getOrder)")],
    ),
    "query_enum_value_removed": ("major", [("request-parameter-enum-value-removed", "breaking", LIST)]),
    "request_enum_value_added": ("minor", [("request-property-enum-value-added", "compatible", "schema Side")]),
    "request_enum_value_removed": (
        "major",
        [
            ("request-property-enum-value-removed", "breaking", "schema Side"),
            ("clientgen-enum-member-removed", "breaking", "schema Side"),
        ],
    ),
    "request_field_added_required": ("major", [("new-required-request-property", "breaking", "schema OrderRequest")]),
    "request_field_became_nullable": (
        "minor",
        [("request-property-became-nullable", "compatible", "schema OrderRequest")],
    ),
    "request_field_became_required": (
        "major",
        [("request-property-became-required", "breaking", "schema OrderRequest")],
    ),
    "response_enum_value_added": (
        "minor",
        [("response-property-enum-value-added", "compatible", "schema OrderStatus")],
    ),
    "response_enum_value_removed": (
        "major",
        [
            ("clientgen-enum-member-removed", "breaking", "schema OrderStatus"),
            ("response-property-enum-value-removed", "compatible", "schema OrderStatus"),
        ],
    ),
    "response_field_added": ("minor", [("response-optional-property-added", "compatible", "schema Order")]),
    "response_field_became_nullable": ("major", [("response-property-became-nullable", "breaking", "schema Order")]),
    "response_field_became_optional": ("major", [("response-property-became-optional", "breaking", "schema Order")]),
    "response_field_removed": ("major", [("response-required-property-removed", "breaking", "schema Order")]),
    "response_field_type_changed": ("major", [("response-property-type-changed", "breaking", "schema Order")]),
    "response_media_type_removed": ("major", [("response-media-type-removed", "breaking", GET)]),
    "response_status_removed": (
        "major",
        [
            ("response-success-status-removed", "breaking", PLACE),
            ("response-success-status-added", "compatible", PLACE),
        ],
    ),
    "schema_renamed": ("major", [("clientgen-model-renamed", "breaking", "schema Fill")]),
    "security_scopes_added": ("minor", [("api-security-added", "compatible", GET)]),
    "security_scopes_changed": (
        "major",
        [("api-security-scope-added", "breaking", GET), ("api-security-scope-removed", "compatible", GET)],
    ),
    "server_added": ("minor", [("clientgen-server-added", "compatible", "servers")]),
    "server_changed": ("major", [("clientgen-server-changed", "breaking", "servers")]),
    "tag_changed": ("major", [("api-tag-removed", "breaking", GET), ("clientgen-method-renamed", "breaking", GET)]),
    "token_url_changed": ("major", [("clientgen-security-scheme-changed", "breaking", "security")]),
}


def api_of(path: Path) -> Version:
    return load_version(path, Config())


def report_of(case: str) -> Report:
    return diff(api_of(CASES / case / "old.yaml"), api_of(CASES / case / "new.yaml"))


def messages(report: Report) -> list[str]:
    return [c.message for c in report.changes]


def test_every_fixture_pair_has_an_expectation() -> None:
    assert sorted(p.name for p in CASES.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_kind_of_change(case: str) -> None:
    bump, expected = EXPECTED[case]
    report = report_of(case)
    assert [(c.id, c.severity, c.location) for c in report.changes] == expected
    assert report.bump == bump


def test_reversed_pairs_are_judged_in_reverse() -> None:
    folder = CASES / "request_field_became_required"
    report = diff(api_of(folder / "new.yaml"), api_of(folder / "old.yaml"))
    assert [(c.id, c.severity, c.location) for c in report.changes] == [
        ("request-property-became-optional", "compatible", "schema OrderRequest")
    ]
    folder = CASES / "operation_added"
    report = diff(api_of(folder / "new.yaml"), api_of(folder / "old.yaml"))
    assert [(c.id, c.severity) for c in report.changes] == [("api-removed-without-deprecation", "breaking")]


def test_only_an_operation_id_changes_the_method_rename_is_breaking() -> None:
    folder = CASES / "operation_id_changed"
    old_lines = (folder / "old.yaml").read_text(encoding="utf-8").splitlines()
    new_lines = (folder / "new.yaml").read_text(encoding="utf-8").splitlines()
    assert [(a, b) for a, b in zip(old_lines, new_lines) if a != b] == [
        ("      operationId: placeOrder", "      operationId: submitOrder")
    ]
    assert len(old_lines) == len(new_lines)
    report = report_of("operation_id_changed")
    renamed = [c for c in report.changes if c.id == "clientgen-method-renamed"]
    assert [(c.severity, c.message) for c in renamed] == [
        ("breaking", "the generated method client.orders.place is now client.orders.submit")
    ]
    assert "renames the method client.orders.place to client.orders.submit" in messages(report)[0]
    assert not [c for c in report.changes if c.id == "endpoint-added" or c.id.startswith("api-removed")]


def test_messages_say_what_changes_for_the_client() -> None:
    assert messages(report_of("response_enum_value_added")) == [
        "the schema: value 'CANCELLED' added (generated enums are open: a client built before parses the new value)"
    ]
    assert messages(report_of("request_enum_value_removed")) == [
        "the schema: value 'SHORT' removed",
        "the member Side.SHORT no longer exists (value 'SHORT')",
    ]
    assert messages(report_of("response_enum_value_removed")) == [
        "the member OrderStatus.FILLED no longer exists (value 'FILLED')",
        "the schema: value 'FILLED' removed",
    ]
    assert messages(report_of("tag_changed")) == [
        "tag 'Orders' is now 'Trades': moves the method from client.orders to client.trades",
        "the generated method client.orders.get is now client.trades.get_order",
    ]
    assert messages(report_of("parameter_format_changed")) == [
        "path parameter 'order_id': format 'uuid' -> None (the generated argument takes str instead of a uuid value:"
        " code passing one no longer type-checks)"
    ]
    assert messages(report_of("path_parameter_renamed")) == [
        "path parameter 'order_id' is now 'id': the argument order_id= is now id="
    ]
    assert messages(report_of("schema_renamed")) == [
        "renamed to Execution (same shape): code naming models.Fill must use models.Execution"
    ]
    assert messages(report_of("security_scopes_changed")) == [
        "security scheme 'oauth': scope 'orders:admin' now required; credentials granted the old scopes may no longer"
        " be enough",
        "security scheme 'oauth': scope 'orders:read' no longer required",
    ]
    assert messages(report_of("field_renamed_by_collision"))[0] == (
        "the attribute note_text is now note_text_2 (wire name 'noteText')"
    )


def test_groups_with_breaking_changes_come_first() -> None:
    # GET /orders: a new summary (compatible, found first); schema Order: a required field removed (breaking)
    old = api_of(CASES / "documentation_changed" / "new.yaml")
    new = api_of(CASES / "response_field_removed" / "new.yaml")
    report = diff(old, new)
    assert [(c.location, c.severity) for c in report.changes] == [
        ("schema Order", "breaking"),
        (LIST, "compatible"),
    ]
    assert as_text(report).splitlines() == [
        "1 breaking, 1 compatible change(s); suggested version bump: major",
        "",
        "schema Order",
        "  breaking    response-required-property-removed: required property 'status' removed",
        "",
        LIST,
        "  compatible  clientgen-documentation-changed: summary 'List the orders' is now 'List orders'",
    ]


def test_markdown_has_a_summary_and_a_table_per_location() -> None:
    text = as_markdown(report_of("response_status_removed"))
    lines = text.splitlines()
    assert "**1 breaking, 1 compatible change(s); suggested version bump: major**" in lines
    assert "### POST /orders (placeOrder)" in lines
    assert "| Severity | Check | Change |" in lines and "| --- | --- | --- |" in lines
    assert (
        "| breaking | `response-success-status-removed` | success response 201 removed: clients built before expect it |"
        in lines
    )
    inline = as_markdown(report_of("parameter_type_changed"))
    assert "type integer -\\> string" in inline  # table cells stay one cell


def test_thresholds() -> None:
    breaking, compatible, nothing = (report_of(c) for c in ("operation_removed", "operation_added", "example_only"))
    assert [fails(r, "breaking") for r in (breaking, compatible, nothing)] == [True, False, False]
    assert [fails(r, "any") for r in (breaking, compatible, nothing)] == [True, True, False]
    assert [fails(r, "none") for r in (breaking, compatible, nothing)] == [False, False, False]
    assert summary(nothing) == "no changes; suggested version bump: none"


# -- the command line ---------------------------------------------------------------------------------------


def pair(case: str) -> tuple[Path, Path]:
    return CASES / case / "old.yaml", CASES / case / "new.yaml"


@pytest.mark.parametrize(
    ("case", "fail_on", "code"),
    [
        ("operation_id_changed", None, 1),
        ("operation_id_changed", "any", 1),
        ("operation_id_changed", "none", 0),
        ("operation_added", None, 0),
        ("operation_added", "any", 1),
        ("example_only", "any", 0),
    ],
)
def test_cli_exit_codes(tmp_path: Path, case: str, fail_on: str | None, code: int) -> None:
    result = clientgen("diff", *pair(case), *(["--fail-on", fail_on] if fail_on else []), cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == code, result.stderr
    assert result.stdout.splitlines()[0] == summary(report_of(case))


def test_the_cli_offers_every_report_format() -> None:
    # the CLI names them without importing generator.diff (which `generate` does not need)
    assert DIFF_FORMATS == tuple(sorted(FORMATS))


def test_cli_json(tmp_path: Path) -> None:
    result = clientgen("diff", *pair("tag_changed"), "--format", "json", "--fail-on", "none", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data.pop("diagnostics") == [] and result.stderr == ""
    summary = data.pop("summary")
    assert (summary["command"], summary["status"], summary["exit_code"]) == ("diff", "ok", 0)
    assert data == {
        "changes": [
            {
                "id": "api-tag-removed",
                "category": "tag changed",
                "severity": "breaking",
                "location": GET,
                "message": "tag 'Orders' is now 'Trades': moves the method from client.orders to client.trades",
            },
            {
                "id": "clientgen-method-renamed",
                "category": "method renamed",
                "severity": "breaking",
                "location": GET,
                "message": "the generated method client.orders.get is now client.trades.get_order",
            },
        ],
        "bump": "major",
    }
    empty = clientgen("diff", *pair("example_only"), "--format", "json", cwd=tmp_path)
    document = json.loads(empty.stdout)
    assert empty.returncode == 0 and (document["changes"], document["bump"]) == ([], "none")
    failing = clientgen("diff", *pair("tag_changed"), "--format", "json", cwd=tmp_path)
    summary = json.loads(failing.stdout)["summary"]
    assert failing.returncode == 1 and (summary["status"], summary["exit_code"]) == ("changed", 1)


def test_diff_update_build_and_publish_take_the_report_options() -> None:
    """-q, -v, --color and --format json, like generate: one reporter for every command."""
    from click.testing import CliRunner

    from generator.cli import main

    for command in ("generate", "check", "validate", "diff", "update", "build", "publish"):
        text = CliRunner().invoke(main, [command, "--help"], terminal_width=200).output
        for option in ("-q, --quiet", "-v, --verbose", "--color", "--format"):
            assert option in text, (command, option)
        assert "json" in text.split("--format", 1)[1].split("\n", 1)[0], command


def test_diff_quiet_prints_the_report_only_and_verbose_adds_timings(tmp_path: Path) -> None:
    quiet = clientgen("diff", *pair("tag_changed"), "-q", "--fail-on", "none", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == "" and "api-tag-removed" in quiet.stdout
    loud = clientgen("diff", *pair("tag_changed"), "-v", "--fail-on", "none", cwd=tmp_path)
    lines = loud.stderr.splitlines()
    assert lines[-2].startswith("timings: load ") and "diff " in lines[-2]
    assert "2 breaking, 0 compatible change(s); suggested version bump: major" in lines[-1]


def test_cli_markdown(tmp_path: Path) -> None:
    result = clientgen("diff", *pair("documentation_changed"), "--format", "markdown", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "**0 breaking, 1 compatible change(s); suggested version bump: patch**" in result.stdout.splitlines()


def test_cli_bad_input_exits_2_without_traceback(tmp_path: Path) -> None:
    broken = FIXTURES / "broken" / "yaml_syntax_error.yaml"
    good = CASES / "example_only" / "old.yaml"
    for arguments in ((broken, good), (good, tmp_path / "missing.yaml"), (good, good, "--format", "yaml")):
        result = clientgen("diff", *arguments, cwd=tmp_path)
        no_traceback(result)
        assert result.returncode == 2, result.stderr
        assert result.stdout == ""
    result = clientgen("diff", broken, good, cwd=tmp_path)
    assert str(broken) in result.stderr and "failed: 1 error(s)" in result.stderr


def test_cli_reads_the_configuration(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.clientgen]\nmanaged-header = ["x"]\n', encoding="utf-8")
    result = clientgen("diff", *pair("example_only"), "--config", config, cwd=tmp_path)
    no_traceback(result)
    assert result.returncode == 2
    assert "did you mean 'managed-headers'?" in result.stderr


# -- Upvest's real spec against its cleaned copy -----------------------------------------------------------

#: The cleaned copy replaces `oneOf: [X, {type: "null"}]` by `oneOf: [X + nullable: true]`, drops the title
#: of one inline request body and adds two examples. Nullability is the same in the model, but:
#: - without its title, POST /accounts' body model is named after the operation, not the title;
#: - `postal_address` (six models) was the same class as `address` (`Address`: the builder shares classes of
#:   equal shape) and now has a class of its own, because `nullable: true` inside the branch makes its shape
#:   differ; the wire type is the same, the generated annotations are not.
#: The cleaned copy replaced `type: "null"` branches with `nullable: true` (the same model either way) and dropped
#: the title of one inline request body, whose class is then named after its operation.
UPVEST_EXPECTED = [
    (
        "clientgen-model-renamed",
        "breaking",
        "schema AccountCreateRequest",
        "renamed to CreateAccountRequest (same shape): code naming models.AccountCreateRequest must use"
        " models.CreateAccountRequest",
    ),
]


@pytest.fixture(scope="module")
def upvest_pair() -> tuple[Version, Version]:
    config = load_config(ROOT / "pyproject.toml")
    old = load_version(shared_spec("upvest/upvest-investment-api-1.9.0.yaml"), config)
    new = load_version(shared_spec("upvest/upvest-investment-api-1.9.0-cleaned.yaml"), config)
    return old, new


def test_upvest_cleaned_copy(upvest_pair: tuple[Version, Version]) -> None:
    old, new = upvest_pair
    report = diff(old, new)
    assert [(c.id, c.severity, c.location, c.message) for c in report.changes] == UPVEST_EXPECTED
    assert report.bump == "major"
    assert diff(old, old).changes == () and diff(new, new).changes == ()


def _tenant_spec(operations: int, *, declaring: int) -> str:
    """`operations` GET operations, the first `declaring` of which declare an optional X-Tenant header."""
    paths = {}
    for index in range(operations):
        parameters = [{"name": "X-Tenant", "in": "header", "schema": {"type": "string"}}] if index < declaring else []
        paths[f"/r{index}"] = {
            "get": {"operationId": f"get{index}", "parameters": parameters, "responses": {"200": {"description": "ok"}}}
        }
    return json.dumps({"openapi": "3.0.3", "info": {"title": "Tenant", "version": "1"}, "paths": paths})


def test_a_header_that_stops_being_a_client_setting_is_reported_as_such(tmp_path: Path) -> None:
    """10 of 10 operations declare X-Tenant (a client setting); then 2 operations without it are added (10 of
    12: each method takes it again). The constructor argument goes: breaking, whatever the spec's own diff says."""
    (tmp_path / "old.json").write_text(_tenant_spec(10, declaring=10), encoding="utf-8")
    (tmp_path / "new.json").write_text(_tenant_spec(12, declaring=10), encoding="utf-8")
    before, after = api_of(tmp_path / "old.json"), api_of(tmp_path / "new.json")
    assert [h.python_name for h in before.api.client_headers] == ["x_tenant"] and after.api.client_headers == ()
    report = diff(before, after)
    removed = [c for c in report.changes if c.id == "clientgen-client-setting-removed"]
    assert [(c.severity, c.location) for c in removed] == [("breaking", "client settings")]
    assert "x_tenant= (TENANT_X_TENANT) removed" in removed[0].message
    assert report.bump == "major"
    back = diff(after, before)
    assert [c.id for c in back.changes if c.location == "client settings"] == ["clientgen-client-setting-added"]
    moved = [c for c in back.changes if c.id == "clientgen-argument-removed"]
    assert len(moved) == 10 and all("now a client setting: x_tenant=, TENANT_X_TENANT" in c.message for c in moved)


# -- the deprecation policy ---------------------------------------------------------------------------------


def _checks(result) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    assert result.returncode in (0, 1), result.stderr
    return [(c["id"], c["severity"]) for c in json.loads(result.stdout)["changes"]]


def test_the_deprecation_policy_comes_from_the_command_line_or_the_configuration(tmp_path: Path) -> None:
    """An operation deprecated without a sunset date: news by default; a policy finding once a policy asks for
    days before the sunset (never breaking: it changes no generated code); the command line wins."""
    run = ("diff", *pair("operation_deprecated"), "--format", "json")
    assert _checks(clientgen(*run, cwd=tmp_path)) == [("endpoint-deprecated", "compatible")]
    policy = clientgen(*run, "--deprecation-days-stable", "30", cwd=tmp_path)
    assert _checks(policy) == [("api-deprecated-sunset-missing", "compatible")]
    assert "the policy asks for 30 days" in policy.stdout and policy.returncode == 0
    (tmp_path / "pyproject.toml").write_text("[tool.clientgen.diff]\ndeprecation-days-stable = 30\n", encoding="utf-8")
    assert _checks(clientgen(*run, cwd=tmp_path)) == [("api-deprecated-sunset-missing", "compatible")]
    assert _checks(clientgen(*run, "--deprecation-days-stable", "0", cwd=tmp_path)) == [
        ("endpoint-deprecated", "compatible")
    ]
    beta = clientgen(*run, "--deprecation-days-beta", "30", cwd=tmp_path)  # the operation is stable: not its policy
    assert _checks(beta) == [("api-deprecated-sunset-missing", "compatible")]
    (tmp_path / "pyproject.toml").write_text("[tool.clientgen.diff]\ndeprecation-days = 30\n", encoding="utf-8")
    wrong = clientgen(*run, cwd=tmp_path)
    no_traceback(wrong)
    message = json.loads(wrong.stdout)["diagnostics"][0]["message"]
    assert wrong.returncode == 2 and "unknown key 'deprecation-days' in diff; did you mean" in message


def test_removing_an_operation_is_judged_by_its_sunset_date(tmp_path: Path) -> None:
    """Removed without deprecation, or before its sunset date: breaking. After its sunset date: as announced."""
    from generator.diff.wire import Policy

    def removal(extra: dict[str, object], today: date) -> list[tuple[str, str]]:
        operation = {"operationId": "getOrder", "responses": {"200": {"description": "ok"}}, **extra}
        other = {"operationId": "listOrders", "responses": {"200": {"description": "ok"}}}
        spec = {"openapi": "3.1.0", "info": {"title": "Shop", "version": "1"}}
        (tmp_path / "old.json").write_text(
            json.dumps({**spec, "paths": {"/orders": {"get": other, "delete": operation}}}), encoding="utf-8"
        )
        (tmp_path / "new.json").write_text(json.dumps({**spec, "paths": {"/orders": {"get": other}}}), encoding="utf-8")
        report = diff(api_of(tmp_path / "old.json"), api_of(tmp_path / "new.json"), Policy(today=today))
        return [(c.id, c.severity) for c in report.changes]

    sunset = {"deprecated": True, "x-sunset": "2026-06-01"}
    assert removal({}, date(2026, 1, 1)) == [("api-removed-without-deprecation", "breaking")]
    assert removal(sunset, date(2026, 5, 31)) == [("api-removed-before-sunset", "breaking")]
    assert removal(sunset, date(2026, 6, 1)) == [("api-removed-with-deprecation", "compatible")]
    assert removal({"deprecated": True}, date(2026, 1, 1)) == [("api-removed-with-deprecation", "compatible")]
    assert removal({"x-stability-level": "alpha"}, date(2026, 1, 1)) == [("clientgen-removed-unstable", "compatible")]


# -- order and ambiguity ------------------------------------------------------------------------------------


def _reversed(node: object) -> object:
    """Every mapping of a spec with its keys in reverse order, lists as they are."""
    if isinstance(node, dict):
        return {key: _reversed(node[key]) for key in reversed(list(node))}
    if isinstance(node, list):
        return [_reversed(item) for item in node]
    return node


def test_a_spec_with_every_key_in_reverse_order_is_the_same_contract_and_client(tmp_path: Path) -> None:
    """Order counts only where it means something (lists): the Upvest spec of this repository with all its
    mappings reversed (declared scopes, content types, properties, enum-free unions) reports nothing."""
    import yaml

    spec = ROOT / "specs" / "upvest-investment-api.yaml"
    (tmp_path / "reversed.json").write_text(json.dumps(_reversed(yaml.safe_load(spec.read_text()))), encoding="utf-8")
    report = diff(api_of(spec), api_of(tmp_path / "reversed.json"))
    assert report.changes == ()


def test_operations_a_path_fragment_tells_apart_are_paired_by_it(tmp_path: Path) -> None:
    """Some specs (Box's) key one request path twice, `/shared_items#folders` and `/shared_items#files`; in
    another order, each operation is still compared with itself."""
    ok = {"200": {"description": "ok"}}
    paths = {
        "/shared_items#files": {"get": {"operationId": "getSharedFile", "tags": ["Files"], "responses": ok}},
        "/shared_items#folders": {"get": {"operationId": "getSharedFolder", "tags": ["Folders"], "responses": ok}},
    }
    spec = {"openapi": "3.0.3", "info": {"title": "Box", "version": "1"}, "paths": paths}
    (tmp_path / "old.json").write_text(json.dumps(spec), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps({**spec, "paths": _reversed(paths)}), encoding="utf-8")
    assert diff(api_of(tmp_path / "old.json"), api_of(tmp_path / "new.json")).changes == ()


def test_union_members_and_declared_scopes_in_another_order_are_no_change() -> None:
    from generator.diff import _annotations_agree

    assert _annotations_agree("A | B | None", "None | B | A")
    assert _annotations_agree('Union[A, Literal["x, y", "z"]]', 'Union[Literal["z", "x, y"], A]')
    assert _annotations_agree(
        'D(discriminate("t", {"a": "A", "b": "B"}))', 'D(discriminate("t", {"b": "B", "a": "A"}))'
    )
    assert not _annotations_agree("List[A] | B", "List[B] | A")
    assert not _annotations_agree("Dict[str, int]", "Dict[int, str]")
