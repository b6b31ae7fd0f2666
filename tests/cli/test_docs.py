"""The documentation in docs/ runs: its Python examples, and every `clientgen` command line it shows.

Conventions of the Markdown files (docs/client-guide.md, docs/quickstart.md):

* Every ```python block is preceded, on the line before its fence, by a marker: `<!-- test -->` or
  `<!-- test: NAME -->` (the block runs here), or `<!-- no-test: REASON -->` (it is only shown). A block
  without a marker fails `test_every_python_block_is_marked`, so nothing is left untested by accident.
* A runnable block runs in a fresh namespace, in a temporary working folder, against its own FakeUpvest server
  (tests/support/fake_upvest.py; the strict signature profile, as in test_runtime_e2e.py), with the environment
  variables UPVEST_BASE_URL, UPVEST_CLIENT_ID, UPVEST_CLIENT_SECRET, UPVEST_KEY_ID and UPVEST_PRIVATE_KEY (the PEM
  text) set for that server, and its private key also in `private-key.pem` in the working folder. Before it
  runs, these placeholders in its text are replaced: `environment="sandbox"` by `base_url="<the server's URL>"`,
  `"YOUR_CLIENT_ID"`, `"YOUR_CLIENT_SECRET"`, `"YOUR_KEY_ID"` by the server's values, and
  `"YOUR_ACCESS_TOKEN"` by a token the server issued for every scope.
* `NAME` picks a setup (run before the block, given the server) and a check (run after, given the server, the
  block's namespace and what it printed) from SETUPS and CHECKS below. Every block must also leave the server
  without rejected signatures, malformed requests or internal errors.
* docs/quickstart.md's ```sh block marked `<!-- test: generate -->` is run in a folder holding nothing but a copy
  of specs/upvest-investment-api.yaml (no configuration anywhere above it), and its Python blocks import the
  package generated so. Its runnable ```toml block, as the pyproject.toml of another such folder, must generate
  (and `check`) the same client under the names it sets.

Every `clientgen ...` command in a code block or code span of any docs/*.md file must name an existing command
and only options that command's --help lists; and every command's --help has an example.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import uuid
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from click.testing import CliRunner

from generator.cli import main
from conftest import ROOT, UPVEST_SPEC
from fake_upvest import SCOPES, FakeUpvest

DOCS = ROOT / "docs"
GUIDE = DOCS / "client-guide.md"
QUICKSTART = DOCS / "quickstart.md"
WEBHOOK_URL = "https://tenant.example/webhooks/upvest"

_BLOCK = re.compile(r"(?:^<!-- (?P<marker>[^\n]*?) -->\n)?^```(?P<lang>[a-z]*)\n(?P<code>.*?)^```$", re.M | re.S)


class Block:
    def __init__(self, path: Path, line: int, lang: str, marker: str | None, code: str) -> None:
        self.path, self.line, self.lang, self.marker, self.code = path, line, lang, marker, code

    @property
    def runnable(self) -> bool:
        return self.marker is not None and (self.marker == "test" or self.marker.startswith("test:"))

    @property
    def name(self) -> str | None:
        return self.marker.split(":", 1)[1].strip() if self.marker and self.marker.startswith("test:") else None

    def __repr__(self) -> str:
        return f"{self.path.name}:{self.line}"


def blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    found = []
    for match in _BLOCK.finditer(text):
        fence = match.start("lang") - 3
        found.append(Block(path, text.count("\n", 0, fence) + 1, match["lang"], match["marker"], match["code"]))
    return found


def runnable(path: Path, lang: str = "python") -> list[Block]:
    return [b for b in blocks(path) if b.lang == lang and b.runnable]


# --------------------------------------------------------------------------------------------------
# Running a block against FakeUpvest
# --------------------------------------------------------------------------------------------------


def _delivery(server: FakeUpvest) -> bytes:
    order = server.add_order(cash_amount="100.25")
    user = next(iter(server.users.values()))
    events = [
        {"id": str(uuid.uuid4()), "created_at": "2024-05-06T07:08:09Z", "type": "ORDER.FILLED", "object": order},
        {"id": str(uuid.uuid4()), "created_at": "2024-05-06T07:08:10Z", "type": "USER.ACTIVATED", "object": user},
        {"id": str(uuid.uuid4()), "created_at": "2024-05-06T07:08:11Z", "type": "SOMETHING.NEW", "object": {}},
    ]
    for event in events:
        event["webhook_id"] = str(uuid.uuid4())
    return json.dumps({"payload": events}).encode()


def _check_webhooks(server: FakeUpvest, namespace: dict[str, Any], printed: str) -> None:
    handle = namespace["handle_delivery"]
    try:
        body = _delivery(server)
        assert handle(WEBHOOK_URL, server.sign_webhook(body, url=WEBHOOK_URL), body) == 204
        assert len(server.api_requests("GET", "/auth/verify_keys")) == 1
        tampered = body.replace(b"100.25", b"999.25")
        assert handle(WEBHOOK_URL, server.sign_webhook(body, url=WEBHOOK_URL), tampered) == 401
        assert handle(WEBHOOK_URL + "/elsewhere", server.sign_webhook(body, url=WEBHOOK_URL), body) == 401
    finally:
        namespace["client"].close()


def _check_retries(server: FakeUpvest, namespace: dict[str, Any], printed: str) -> None:
    posts = server.api_requests("POST", "/orders")
    assert [r.outcome for r in posts] == ["fault_reset_after_apply", "replayed"]
    assert {r.headers["idempotency-key"] for r in posts} == {namespace["key"]}
    assert server.placed_orders == 1


def _check_pagination(server: FakeUpvest, namespace: dict[str, Any], printed: str) -> None:
    queries = [r.query for r in server.api_requests("GET", "/users")]
    assert len(queries) == 5 and all("limit=2" in query for query in queries), queries
    assert ["offset=2" in query for query in queries] == [False, True, False, True, True], queries
    assert len(printed.splitlines()) == 3 + 1 + 2


def _check_raw(server: FakeUpvest, namespace: dict[str, Any], printed: str) -> None:
    assert "200" in printed and "application/json" in printed and "NoContent(status_code=202" in printed


def _check_streamed(server: FakeUpvest, namespace: dict[str, Any], printed: str) -> None:
    order = namespace["order"]
    assert printed.startswith("200 ") and json.loads(namespace["body"])["id"] == str(order.id)


def _check_logging(server: FakeUpvest, namespace: dict[str, Any], printed: str) -> None:
    records = namespace["__records__"]
    messages = [r.getMessage() for r in records if r.name == "upvest_investment_client"]
    assert any(m.startswith("GET /users -> 200 (attempt 1") for m in messages), messages
    assert any(m.startswith("fetched a token for scopes 'users:read'") for m in messages), messages
    assert not any(server.client_secret in m for m in messages)


def _check_quickstart(server: FakeUpvest, namespace: dict[str, Any], printed: str) -> None:
    assert server.placed_orders == 1
    assert "404" in printed


SETUPS: dict[str, Callable[[FakeUpvest], None]] = {
    "retries": lambda server: server.faults.add("POST", "/orders", "reset", apply_before_fault=True) and None,
    "raw": lambda server: server.add_order() and None,
    "streamed": lambda server: server.add_order() and None,
}
CHECKS: dict[str, Callable[[FakeUpvest, dict[str, Any], str], None]] = {
    "webhooks": _check_webhooks,
    "retries": _check_retries,
    "pagination": _check_pagination,
    "raw": _check_raw,
    "streamed": _check_streamed,
    "logging": _check_logging,
    "quickstart": _check_quickstart,
}


def _substitute(code: str, server: FakeUpvest) -> str:
    values = {
        'environment="sandbox"': f"base_url={server.base_url!r}",
        '"YOUR_CLIENT_ID"': repr(server.client_id),
        '"YOUR_CLIENT_SECRET"': repr(server.client_secret),
        '"YOUR_KEY_ID"': repr(server.client_key_id),
        '"YOUR_ACCESS_TOKEN"': repr(server.issue_token(SCOPES)),
    }
    for placeholder, value in values.items():
        code = code.replace(placeholder, value)
    assert "environment=" not in code, "an example names an environment the test cannot redirect to the fake"
    return code


@pytest.fixture
def run_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], caplog: Any
) -> Iterator[Callable[[Block], None]]:
    servers: list[FakeUpvest] = []

    def run(block: Block) -> None:
        assert block.name is None or block.name in CHECKS or block.name in SETUPS, f"{block}: unknown {block.name}"
        server = FakeUpvest(strict_signature_components=True, require_nonce=True, reject_nonce_reuse=True).start()
        servers.append(server)
        assert server.client_private_key_pem is not None and server.client_key_id is not None
        for name in list(os.environ):
            if name.startswith("UPVEST_"):
                monkeypatch.delenv(name)
        monkeypatch.setenv("UPVEST_BASE_URL", server.base_url)
        monkeypatch.setenv("UPVEST_CLIENT_ID", server.client_id)
        monkeypatch.setenv("UPVEST_CLIENT_SECRET", server.client_secret)
        monkeypatch.setenv("UPVEST_KEY_ID", server.client_key_id)
        monkeypatch.setenv("UPVEST_PRIVATE_KEY", server.client_private_key_pem.decode())
        (tmp_path / "private-key.pem").write_bytes(server.client_private_key_pem)
        monkeypatch.chdir(tmp_path)
        if block.name in SETUPS:
            SETUPS[block.name](server)
        namespace: dict[str, Any] = {"__name__": f"docs_example_{block.line}"}
        capsys.readouterr()
        caplog.set_level("DEBUG", logger="upvest_investment_client")
        exec(compile(_substitute(block.code, server), str(block), "exec"), namespace)  # noqa: S102
        namespace["__records__"] = list(caplog.records)
        printed = capsys.readouterr().out
        if block.name in CHECKS:
            CHECKS[block.name](server, namespace, printed)
        assert server.errors == [], server.errors
        rejected = [(r.method, r.path, r.outcome, r.detail) for r in server.requests if r.outcome in _REJECTED]
        assert rejected == [], f"{block}: the fake rejected requests: {rejected}"

    yield run
    for server in servers:
        server.stop()


_REJECTED = ("signature_error", "bad_request", "unauthorized", "forbidden", "pending")


@pytest.mark.usefixtures("upvest_client_path")
@pytest.mark.parametrize("block", runnable(GUIDE), ids=repr)
def test_client_guide_example_runs(block: Block, run_block: Callable[[Block], None]) -> None:
    run_block(block)


def _generate_in(project: Path, command: list[str]) -> str:
    previous = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 0, (command, result.output)
        return result.output
    finally:
        os.chdir(previous)


@pytest.fixture(scope="module")
def quickstart_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder holding only the spec, where the quickstart's one `clientgen generate` command ran."""
    from generator.config import find_config

    project = tmp_path_factory.mktemp("quickstart")
    (project / "specs").mkdir()
    shutil.copy(UPVEST_SPEC, project / "specs" / UPVEST_SPEC.name)
    assert find_config(project) is None, "the quickstart's command must run without any configuration"
    (command,) = [b for b in runnable(QUICKSTART, "sh") if b.name == "generate"]
    words = command.code.split()
    assert words[0] == "clientgen"
    output = _generate_in(project, words[1:])
    assert "note: vendor profile 'upvest'" in output and "0 warnings" in output
    (project / "generate.out").write_text(output.replace(f"{project}/", ""), encoding="utf-8")
    yield project


def test_quickstart_shows_the_notes_generate_prints(quickstart_project: Path) -> None:
    (shown,) = [b for b in blocks(QUICKSTART) if b.lang == "" and "note: vendor profile" in b.code]
    printed = (quickstart_project / "generate.out").read_text(encoding="utf-8").splitlines()
    notes = [line for line in shown.code.splitlines() if ": note: " in line or line.endswith(" notes")]
    assert notes == [line for line in printed if ": note: " in line or line.endswith(" notes")]


def test_quickstart_configuration_has_the_five_keys_and_changes_names_only(
    quickstart_project: Path, tmp_path: Path
) -> None:
    """The configuration step names the package and paths; the client is the one-command client renamed."""
    (config,) = runnable(QUICKSTART, "toml")
    keys = re.findall(r"^([a-z-]+) =", config.code, re.M)
    assert keys == ["spec", "output", "package", "distribution", "env-prefix"]
    (tmp_path / "specs").mkdir()
    shutil.copy(UPVEST_SPEC, tmp_path / "specs" / UPVEST_SPEC.name)
    (tmp_path / "pyproject.toml").write_text(config.code, encoding="utf-8")
    _generate_in(tmp_path, ["generate", "-q"])
    _generate_in(tmp_path, ["check"])
    renamed = tmp_path / "client" / "acme_upvest"
    zero = quickstart_project / "client" / "upvest_investment_api_client"
    names = sorted(p.relative_to(zero).as_posix() for p in zero.rglob("*.py"))
    assert names == sorted(p.relative_to(renamed).as_posix() for p in renamed.rglob("*.py"))
    for name in names:
        expected = (zero / name).read_text(encoding="utf-8").replace("upvest_investment_api_client", "acme_upvest")
        assert (renamed / name).read_text(encoding="utf-8") == expected, name


@pytest.mark.parametrize("block", runnable(QUICKSTART), ids=repr)
def test_quickstart_example_runs(
    block: Block, quickstart_project: Path, run_block: Callable[[Block], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the package has the name clientgen gives Upvest's title, as the zero-configuration client of Upvest's real
    # spec (tests/runtime/test_runtime_e2e.py) has in the same process: this test imports its own, and puts the other back
    package = "upvest_investment_api_client"
    others = {n: m for n, m in sys.modules.items() if n == package or n.startswith(package + ".")}
    for name in others:
        del sys.modules[name]
    monkeypatch.syspath_prepend(str(quickstart_project / "client"))
    try:
        run_block(block)
    finally:
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]
        sys.modules.update(others)


@pytest.mark.parametrize("path", [GUIDE, QUICKSTART], ids=lambda p: p.name)
def test_every_python_block_is_marked_and_most_run(path: Path) -> None:
    python = [b for b in blocks(path) if b.lang == "python"]
    unmarked = [b for b in python if b.marker is None or not re.fullmatch(r"test(: [\w-]+)?|no-test: .+", b.marker)]
    assert unmarked == [], f"python blocks without a <!-- test --> or <!-- no-test: why --> marker: {unmarked}"
    assert python and sum(b.runnable for b in python) >= 0.8 * len(python)


def test_the_block_reader_sees_markers() -> None:
    text = "x\n<!-- test: raw -->\n```python\nprint(1)\n```\n\n```python\nprint(2)\n```\n"
    path = DOCS / "example.md"
    found = []
    for match in _BLOCK.finditer(text):
        found.append(Block(path, 0, match["lang"], match["marker"], match["code"]))
    assert [(b.name, b.runnable, b.code) for b in found] == [("raw", True, "print(1)\n"), (None, False, "print(2)\n")]


# --------------------------------------------------------------------------------------------------
# Command lines
# --------------------------------------------------------------------------------------------------


def _help(*command: str) -> str:
    result = CliRunner().invoke(main, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def _commands() -> list[str]:
    listing = _help().split("Commands:", 1)[1]
    return re.findall(r"^  ([a-z][a-z-]*)\s", listing, re.M)


def _options(*command: str) -> set[str]:
    listing = _help(*command).split("Options:", 1)[1]
    return set(re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", "\n".join(line[:40] for line in listing.splitlines())))


_CODE = re.compile(r"^```[a-z]*\n(.*?)^```$|`([^`\n]+)`", re.M | re.S)
_INVOCATION = re.compile(r"(?<![\w.\[-])clientgen(?P<args>[ \t]+[^\n`#|;&>]*)?")


def doc_invocations() -> list[tuple[str, str]]:
    """(file, command line) of every `clientgen ...` in the code blocks and code spans of docs/*.md."""
    found = []
    for path in sorted(DOCS.glob("*.md")):
        for match in _CODE.finditer(path.read_text(encoding="utf-8")):
            code = match.group(1) if match.group(1) is not None else match.group(2)
            for invocation in _INVOCATION.finditer(code):
                if invocation["args"] and invocation["args"].strip():
                    found.append((path.name, "clientgen " + invocation["args"].strip()))
    return found


def check_invocation(line: str) -> list[str]:
    """Problems of one command line: an unknown command, or options its --help does not list."""
    words = line.split()[1:]
    if words[0].startswith("-"):
        return [f"{w}: not an option of clientgen" for w in words if w.startswith("-") and w not in _options()]
    if words[0] not in _commands():
        return [f"{words[0]}: no such command"]
    known = _options(words[0])
    return [f"{w}: not an option of clientgen {words[0]}" for w in words[1:] if w.startswith("-") and w not in known]


def test_docs_name_many_commands() -> None:
    commands = {line.split()[1] for _, line in doc_invocations()}
    assert {"generate", "check", "validate", "diff", "update", "build", "publish"} <= commands


@pytest.mark.parametrize("where, line", doc_invocations())
def test_docs_command_line_exists(where: str, line: str) -> None:
    assert check_invocation(line) == [], f"{where}: {line}"


def test_command_line_check_can_fail() -> None:
    assert check_invocation("clientgen generate --bump auto --previous old.yaml") == []
    assert check_invocation("clientgen regenerate") == ["regenerate: no such command"]
    assert check_invocation("clientgen check --pakage x") == ["--pakage: not an option of clientgen check"]
    assert check_invocation("clientgen --versions") == ["--versions: not an option of clientgen"]


@pytest.mark.parametrize("command", [[], *[[name] for name in main.commands]], ids=lambda c: " ".join(c) or "main")
def test_every_command_help_has_an_example(command: list[str]) -> None:
    text = _help(*command)
    assert "Example" in text
    example = text.split("Example", 1)[1].split("Options:", 1)[0]
    lines = [match["args"] for match in _INVOCATION.finditer(example) if match["args"]]
    assert lines, text
    for args in lines:
        line = "clientgen " + args.strip()
        assert check_invocation(line) == [], line
        assert not command or line.split()[1] == command[0], line


def test_the_commands_are_the_documented_ten() -> None:
    assert (
        sorted(_commands())
        == sorted(main.commands)
        == sorted(
            ["generate", "check", "validate", "diff", "update", "test", "build", "publish", "templates", "config"]
        )
    )
