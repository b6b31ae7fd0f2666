"""`clientgen diff`: one spec pair per kind of change (tests/fixtures/diff/<case>/old.yaml, new.yaml), the
command line, and Upvest's real 1.9.0 spec against its cleaned copy (from ../shared/specs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.config import Config, load_config
from generator.cli import DIFF_FORMATS
from generator.diff import FORMATS, Report, as_markdown, as_text, diff, fails, load_api, summary
from generator.model import Api

from conftest import FIXTURES, ROOT, shared_spec
from expectations import clientgen, no_traceback

CASES = FIXTURES / "diff"

LIST = "GET /orders (listOrders)"
PLACE = "POST /orders (placeOrder)"
GET = "GET /orders/{order_id} (getOrder)"

#: case -> (bump, [(category, severity, location), ...] in report order)
EXPECTED: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "operation_added": ("minor", [("operation added", "compatible", "DELETE /orders/{order_id} (cancelOrder)")]),
    "operation_removed": ("major", [("operation removed", "breaking", GET)]),
    "operation_id_changed": (
        "major",
        [
            ("operationId changed", "breaking", "POST /orders (submitOrder)"),
            ("method renamed", "breaking", "POST /orders (submitOrder)"),
        ],
    ),
    "tag_changed": ("major", [("tag changed", "breaking", GET), ("method renamed", "breaking", GET)]),
    "path_changed": ("major", [("path changed", "breaking", "GET /executions (listFills)")]),
    "path_parameter_renamed": ("major", [("parameter renamed", "breaking", "GET /orders/{id} (getOrder)")]),
    "parameter_added_required": ("major", [("parameter added", "breaking", LIST)]),
    "parameter_added_optional": ("minor", [("parameter added", "compatible", LIST)]),
    "parameter_removed": ("major", [("parameter removed", "breaking", LIST)]),
    "parameter_became_required": ("major", [("parameter became required", "breaking", LIST)]),
    "parameter_type_changed": ("major", [("type changed", "breaking", LIST)]),
    "parameter_format_changed": ("major", [("type changed", "breaking", GET)]),
    "query_enum_value_removed": ("major", [("enum value removed", "breaking", LIST)]),
    "request_enum_value_removed": ("major", [("enum value removed", "breaking", "schema Side")]),
    "request_enum_value_added": ("minor", [("enum value added", "compatible", "schema Side")]),
    "response_enum_value_added": ("minor", [("enum value added", "compatible", "schema OrderStatus")]),
    "response_enum_value_removed": ("major", [("enum value removed", "breaking", "schema OrderStatus")]),
    "response_field_removed": ("major", [("field removed", "breaking", "schema Order")]),
    "response_field_added": ("minor", [("field added", "compatible", "schema Order")]),
    "response_field_became_optional": ("major", [("field became optional", "breaking", "schema Order")]),
    "response_field_became_nullable": ("major", [("type changed", "breaking", "schema Order")]),
    "response_field_type_changed": ("major", [("type changed", "breaking", "schema Order")]),
    "request_field_became_required": ("major", [("field became required", "breaking", "schema OrderRequest")]),
    "request_field_added_required": ("major", [("field added", "breaking", "schema OrderRequest")]),
    "request_field_became_nullable": ("minor", [("type changed", "compatible", "schema OrderRequest")]),
    "response_status_removed": (
        "major",
        [("response status removed", "breaking", PLACE), ("response status added", "compatible", PLACE)],
    ),
    "error_status_removed": ("patch", [("response status removed", "compatible", GET)]),
    "response_media_type_removed": (
        "major",
        [("response media type removed", "breaking", GET), ("type changed", "compatible", GET)],
    ),
    "security_scopes_changed": ("major", [("security scopes changed", "breaking", GET)]),
    "security_scopes_added": ("minor", [("security scopes changed", "compatible", GET)]),
    "token_url_changed": ("major", [("security scheme changed", "breaking", "security")]),
    "server_changed": ("major", [("server changed", "breaking", "servers")]),
    "server_added": ("minor", [("server added", "compatible", "servers")]),
    "schema_renamed": ("major", [("schema renamed", "breaking", "schema Fill")]),
    "component_renamed": ("major", [("schema renamed", "breaking", "schema OrderRequest")]),
    "operation_deprecated": ("patch", [("deprecated", "compatible", GET)]),
    "field_deprecated": ("patch", [("deprecated", "compatible", "schema Order")]),
    "documentation_changed": ("patch", [("documentation changed", "compatible", LIST)]),
    "example_only": ("none", []),
    # the generated-API view: what the generator renames on its own, the wire staying the same
    # `oneOf: [X, {type: "null"}]` -> `X + nullable: true`: the same class, nullable either way
    "inline_class_changed": ("none", []),
    "field_renamed_by_collision": (
        "major",
        [("field renamed", "breaking", "schema Order"), ("field added", "compatible", "schema Order")],
    ),
    "body_arguments_changed": (
        "major",
        [("body arguments changed", "breaking", PLACE), ("parameter added", "compatible", PLACE)],
    ),
}


def api_of(path: Path) -> Api:
    return load_api(path, Config())


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
    assert [(c.category, c.severity, c.location) for c in report.changes] == expected
    assert report.bump == bump


def test_reversed_pairs_are_judged_in_reverse() -> None:
    folder = CASES / "request_field_became_required"
    report = diff(api_of(folder / "new.yaml"), api_of(folder / "old.yaml"))
    assert [(c.category, c.severity, c.location) for c in report.changes] == [
        ("field became optional", "compatible", "schema OrderRequest")
    ]
    folder = CASES / "operation_added"
    report = diff(api_of(folder / "new.yaml"), api_of(folder / "old.yaml"))
    assert [(c.category, c.severity) for c in report.changes] == [("operation removed", "breaking")]


def test_only_an_operation_id_changes_the_method_rename_is_breaking() -> None:
    folder = CASES / "operation_id_changed"
    old_lines = (folder / "old.yaml").read_text(encoding="utf-8").splitlines()
    new_lines = (folder / "new.yaml").read_text(encoding="utf-8").splitlines()
    assert [(a, b) for a, b in zip(old_lines, new_lines) if a != b] == [
        ("      operationId: placeOrder", "      operationId: submitOrder")
    ]
    assert len(old_lines) == len(new_lines)
    report = report_of("operation_id_changed")
    renamed = [c for c in report.changes if c.category == "method renamed"]
    assert [(c.severity, c.message) for c in renamed] == [
        ("breaking", "the generated method client.orders.place is now client.orders.submit")
    ]
    assert "renames the method client.orders.place to client.orders.submit" in messages(report)[0]
    assert not [c for c in report.changes if c.category in ("operation added", "operation removed")]


def test_messages_say_what_changes_for_the_client() -> None:
    assert messages(report_of("response_enum_value_added")) == [
        "enum: value 'CANCELLED' added; compatible for responses: generated enums are open, "
        "so clients built before parse it"
    ]
    assert messages(report_of("request_enum_value_removed")) == [
        "enum: value 'SHORT' removed; requests can no longer send it"
    ]
    assert messages(report_of("response_enum_value_removed")) == [
        "enum: value 'FILLED' removed; the generated enum loses its member OrderStatus.FILLED"
    ]
    assert messages(report_of("tag_changed")) == [
        "tag 'Orders' is now 'Trades': moves the method from client.orders to client.trades",
        "the generated method client.orders.get is now client.trades.get_order",
    ]
    assert messages(report_of("parameter_format_changed")) == ["path parameter 'order_id': UUID -> str"]
    assert messages(report_of("path_parameter_renamed")) == [
        "path parameter 'order_id' is now 'id': the argument order_id= is now id="
    ]
    assert messages(report_of("schema_renamed")) == [
        "renamed to Execution (same shape): code naming models.Fill must use models.Execution"
    ]
    assert messages(report_of("security_scopes_changed")) == [
        "OAuth2 scopes orders:read -> orders:admin: credentials granted the old scopes may no longer be enough"
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
        "  breaking    field removed: required field 'status' removed: the model attribute status disappears;"
        " clients relying on it in responses break",
        "",
        LIST,
        "  compatible  documentation changed: summary 'List the orders' is now 'List orders'",
    ]


def test_markdown_has_a_summary_and_a_table_per_location() -> None:
    text = as_markdown(report_of("response_status_removed"))
    lines = text.splitlines()
    assert "**1 breaking, 1 compatible change(s); suggested version bump: major**" in lines
    assert "### POST /orders (placeOrder)" in lines
    assert "| --- | --- | --- |" in lines
    assert (
        "| breaking | response status removed | success response 201 removed: clients built before expect it |" in lines
    )
    inline = as_markdown(report_of("request_field_became_nullable"))
    assert "str -\\> str \\| None" in inline  # table cells stay one cell


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
                "category": "tag changed",
                "severity": "breaking",
                "location": GET,
                "message": "tag 'Orders' is now 'Trades': moves the method from client.orders to client.trades",
            },
            {
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
    assert quiet.returncode == 0 and quiet.stderr == "" and "tag changed" in quiet.stdout
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
        "schema renamed",
        "breaking",
        "schema AccountCreateRequest",
        "renamed to CreateAccountRequest (same shape): code naming models.AccountCreateRequest must use"
        " models.CreateAccountRequest",
    ),
]


@pytest.fixture(scope="module")
def upvest_pair() -> tuple[Api, Api]:
    config = load_config(ROOT / "pyproject.toml")
    old = load_api(shared_spec("upvest/upvest-investment-api-1.9.0.yaml"), config)
    new = load_api(shared_spec("upvest/upvest-investment-api-1.9.0-cleaned.yaml"), config)
    return old, new


def test_upvest_cleaned_copy(upvest_pair: tuple[Api, Api]) -> None:
    old, new = upvest_pair
    report = diff(old, new)
    assert [(c.category, c.severity, c.location, c.message) for c in report.changes] == UPVEST_EXPECTED
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
    assert [h.python_name for h in before.client_headers] == ["x_tenant"] and after.client_headers == ()
    report = diff(before, after)
    removed = [c for c in report.changes if c.category == "client setting removed"]
    assert [(c.severity, c.location) for c in removed] == [("breaking", "client settings")]
    assert "x_tenant= (TENANT_X_TENANT) removed" in removed[0].message
    assert report.bump == "major"
    back = diff(after, before)
    assert [c.category for c in back.changes if c.location == "client settings"] == ["client setting added"]
    moved = [c for c in back.changes if c.category == "parameter removed"]
    assert len(moved) == 10 and all("now a client setting: x_tenant=, TENANT_X_TENANT" in c.message for c in moved)
