"""The command line: `clientgen generate | check | validate | diff | update | build | publish`.

The only module that prints or picks exit codes. Exit codes: 0 success, 1 `check` found differences, 2 bad input
(spec, configuration, arguments, or a build or upload that failed for a reason the user can act on), 3 internal
error.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import os
import sys
from pathlib import Path
from dataclasses import asdict, is_dataclass
from typing import TYPE_CHECKING, Any, Callable, Literal, NoReturn

import click

from generator import __version__
from generator.urls import display_url
from generator.config import Config, config_keys, find_config, load_config, package_name_problem, reference
from generator.diagnostics import PublishError, SpecError
from generator.format import FormatCache, FormatError, default_cache_folder, default_jobs
from generator.load import load
from generator.pipeline import build_api, build_document, check_spec, generate
from generator.render import builtin_templates, template_header, templates_root
from generator.report import COLOR_CHOICES, FORMATS, Reporter
from generator import update as updating
from generator.version import Level, next_version, version_edit
from generator.write import WriteError, check as check_output, write

if TYPE_CHECKING:
    from generator.diff import Report, Threshold, Version


# `diff` and `publish` are imported by the commands that use them: `generate` starts faster without them
#: the report formats of `diff` and `update` (generator.diff.FORMATS; a test keeps the two in step)
DIFF_FORMATS = ("json", "markdown", "text")


class _Failure(click.ClickException):
    """Bad arguments or configuration: one line, `error: MESSAGE`, and exit 2 (see `_guarded`)."""

    exit_code = 2

    def show(self, file: Any = None) -> None:  # when raised outside `_guarded`
        click.echo(f"error: {self.message}", err=True)


def _fail(message: str) -> NoReturn:
    raise _Failure(message)


def _config(config_path: Path | None) -> Config:
    path = config_path or find_config(Path.cwd())
    return load_config(path)


def _spec_and_output(config: Config, spec: Path | None, output: Path | None, need_output: bool) -> tuple[Path, Path]:
    spec = spec or config.project.spec
    if spec is None:
        _fail("no spec given: pass SPEC, or set 'spec' in [tool.clientgen] of pyproject.toml")
    output = output or config.project.output
    if need_output and output is None:
        _fail("no output folder given: pass -o DIR, or set 'output' in [tool.clientgen] of pyproject.toml")
    return spec, output or Path("output")


def _version_edit(config: Config) -> Callable[[], None]:
    """The write-back of a bumped version to the configuration (so that later runs and `check` keep it), worked
    out before anything is written: a configuration that cannot take it fails the run with nothing replaced."""
    if config.source is not None and config.project.version is not None:
        return version_edit(config.source, config.project.version)
    return lambda: None


def _guarded(action: Callable[[], int], reporter: Reporter | None = None) -> None:
    """Run a command's action; every way it can end is reported by `reporter` (by default: text on stderr)."""
    if reporter is None:
        context = click.get_current_context(silent=True)
        reporter = Reporter((context.info_name or "") if context else "", progress=False)
    reporter.start()
    try:
        code = action()
    except SpecError as exc:
        code = reporter.spec_failed(exc)
    except _Failure as exc:
        code = reporter.failed(f"error: {exc.message}", 2)
    except (WriteError, PublishError) as exc:
        code = reporter.failed(f"error: {exc}", 2)
    except FormatError as exc:
        code = reporter.failed(f"internal error: {exc}", 3)
    except OSError as exc:  # the machine's: a read-only or full disk, a folder without permission
        where = f"{exc.filename}: " if exc.filename else ""
        code = reporter.failed(f"error: {where}{exc.strerror or exc}; nothing was written", 2)
    except KeyboardInterrupt:
        code = reporter.failed("interrupted; nothing was written", 130)
    except Exception as exc:  # a bug of ours: say so plainly, keep the traceback for those who ask
        reporter.stop_progress()
        if os.environ.get("CLIENTGEN_DEBUG"):
            raise
        code = reporter.failed(
            f"internal error: {type(exc).__name__}: {exc}; nothing was written."
            " Please report it (set CLIENTGEN_DEBUG=1 for the traceback).",
            3,
        )
    finally:
        reporter.stop_progress()
    sys.exit(code)


def _format_option(choices: tuple[str, ...], help: str) -> Callable[[Any], Any]:
    return click.option(
        "--format", "output_format", type=click.Choice(choices), default="text", show_default=True, help=help
    )


_REPORT_OPTIONS = (
    _format_option(
        FORMATS,
        "text: diagnostics grouped by severity and file, and a summary line, on stderr;"
        " json: one JSON document on stdout (diagnostics and summary), nothing else.",
    ),
    click.option("-q", "--quiet", is_flag=True, help="Print errors only, and the summary line only on failure."),
    click.option("-v", "--verbose", is_flag=True, help="Also print the seconds of each stage."),
    click.option(
        "--color",
        type=click.Choice(COLOR_CHOICES),
        default="auto",
        show_default=True,
        help="Colour the text output (auto: on a terminal, unless NO_COLOR is set).",
    ),
)


def _reporting(
    command: str, report_formats: tuple[str, ...] = ()
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """The output options (--format, -q, -v, --color) of a command, passed to it as one `reporter` argument.

    `report_formats`: the formats of a command's own report (diff, update: text, markdown, json), printed on
    stdout; the function then also gets the one chosen as `report_format` (json makes the reporter's JSON too).
    """
    options: list[Callable[[Any], Any]] = list(_REPORT_OPTIONS)
    if report_formats:
        options[0] = _format_option(
            report_formats,
            "How the change report is printed on stdout; json: one JSON document on stdout, the report's"
            " keys beside the diagnostics and summary, nothing else.",
        )

    def decorate(function: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(function)
        def wrapper(*args: Any, output_format: str, quiet: bool, verbose: bool, color: str, **kwargs: Any) -> None:
            if quiet and verbose:
                raise click.UsageError("-q and -v exclude each other")
            reporter = Reporter(
                command,
                output_format="json" if output_format == "json" else "text",
                verbosity=-1 if quiet else 1 if verbose else 0,
                color_choice="always" if color == "always" else "never" if color == "never" else "auto",
            )
            if report_formats:
                kwargs["report_format"] = output_format
            function(*args, reporter=reporter, **kwargs)

        for option in reversed(options):
            wrapper = option(wrapper)
        return wrapper

    return decorate


_spec_argument = click.argument("spec", required=False, type=click.Path(path_type=Path, dir_okay=False))
_output_option = click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), help="Output folder.")
_config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="pyproject.toml holding [tool.clientgen] (default: the nearest one above the working folder).",
)
_strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
_skip_invalid_option = click.option(
    "--skip-invalid",
    is_flag=True,
    default=None,
    help="Leave out the operations and schemas that have errors, and generate the rest (config: skip-invalid).",
)
_no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Render and format everything afresh; don't read or write the cache of formatted code"
    " (CLIENTGEN_CACHE_DIR, default ~/.cache/clientgen).",
)


def _cache(no_cache: bool, output: Path) -> FormatCache | None:
    """The formatting cache of one output folder (named by its absolute path), unless --no-cache."""
    if no_cache:
        return None
    return FormatCache(default_cache_folder(), hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:32])


def _package_name(context: click.Context, parameter: click.Parameter, value: str | None) -> str | None:
    """--package, checked as the configuration file's `package` is (a bad name is a usage error: exit 2)."""
    problem = package_name_problem(value) if value is not None else None
    if problem:
        raise click.BadParameter(problem)
    return value


_remote_option = click.option(
    "--allow-remote-refs", is_flag=True, help="Follow $refs to URLs and to files outside the spec's folder."
)


def run() -> NoReturn:
    """The `clientgen` program: the command line, then an exit that skips freeing every object one by one (a
    tenth of a second after generating a big client), as mypy does. Output is flushed first; the commands have
    cleaned up (temporary folders, worker processes) by the time they return."""
    status: str | int | None = 0
    try:
        main()
    except SystemExit as exc:
        status = exc.code
    if isinstance(status, str):  # sys.exit("message"): what Python itself does with it
        print(status, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(status or 0)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="clientgen")
def main() -> None:
    """Generate typed Python clients from OpenAPI descriptions.

    \b
    Example:
      clientgen generate specs/api.yaml -o output
    """


@main.command("generate")
@_spec_argument
@_output_option
@_config_option
@click.option("--package", callback=_package_name, help="Import name of the generated package.")
@_strict_option
@_skip_invalid_option
@_remote_option
@click.option(
    "--bump",
    type=click.Choice(["auto", "major", "minor", "patch", "none"]),
    help="Version the package from the one in the output folder, moved on by this much"
    " (auto: what the diff against --previous suggests).",
)
@click.option(
    "--previous",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The spec the output folder was generated from (for --bump auto).",
)
@_no_cache_option
@_reporting("generate")
def generate_command(
    spec: Path | None,
    output: Path | None,
    config_path: Path | None,
    package: str | None,
    strict: bool,
    skip_invalid: bool | None,
    allow_remote_refs: bool,
    bump: Level | Literal["auto"] | None,
    previous: Path | None,
    no_cache: bool,
    reporter: Reporter,
) -> None:
    """Generate the client for SPEC into the output folder.

    \b
    Example:
      clientgen generate specs/upvest-investment-api.yaml -o output
      clientgen generate new.yaml -o output --bump auto --previous old.yaml
    """

    def run() -> int:
        config = _config(config_path).merged(package=package, skip_invalid=skip_invalid)
        spec_path, output_path = _spec_and_output(config, spec, output, True)
        if bump is not None:
            level = bump
            if level == "auto":
                from generator import diff as spec_diff

                if previous is None:
                    _fail("--bump auto needs --previous: the spec the output folder was generated from")
                before = spec_diff.load_version(previous, config, allow_remote_refs=allow_remote_refs)
                after = spec_diff.load_version(spec_path, config, allow_remote_refs=allow_remote_refs)
                level = spec_diff.diff(before, after, spec_diff.policy_of(config)).bump
            config = config.merged(version=next_version(output_path, level))
        cache = _cache(no_cache, output_path)
        result = generate(
            spec_path,
            config,
            strict=strict,
            allow_remote_refs=allow_remote_refs,
            cache=cache,
            jobs=default_jobs(spec_path),
            timings=reporter.timings,
            progress=reporter.stage,
        )
        reporter.cached = cache.hits if cache is not None else 0
        reporter.diagnostics(result.diagnostics)
        record = _version_edit(config) if bump is not None else (lambda: None)
        with reporter.timed("write"):
            summary = write(result.files, output_path)
            record()
        return reporter.generated(
            result.api.package.name,
            output_path,
            operations=len(result.api.operations),
            models=len(result.api.schemas),
            written=summary.written,
            unchanged=summary.unchanged,
            removed=summary.removed,
            diagnostics=result.diagnostics,
        )

    _guarded(run, reporter)


@main.command("check")
@_spec_argument
@_output_option
@_config_option
@click.option("--package", callback=_package_name, help="Import name of the generated package (as given to generate).")
@_strict_option
@_skip_invalid_option
@_remote_option
@_no_cache_option
@_reporting("check")
def check_command(
    spec: Path | None,
    output: Path | None,
    config_path: Path | None,
    package: str | None,
    strict: bool,
    skip_invalid: bool | None,
    allow_remote_refs: bool,
    no_cache: bool,
    reporter: Reporter,
) -> None:
    """Exit 0 when the output folder is exactly what generate would write; else print a diff and exit 1.

    Writes nothing.

    \b
    Example:
      clientgen check specs/upvest-investment-api.yaml -o output
    """

    def run() -> int:
        config = _config(config_path).merged(package=package, skip_invalid=skip_invalid)
        spec_path, output_path = _spec_and_output(config, spec, output, True)
        cache = _cache(no_cache, output_path)
        result = generate(
            spec_path,
            config,
            strict=strict,
            allow_remote_refs=allow_remote_refs,
            cache=cache,
            jobs=default_jobs(spec_path),
            timings=reporter.timings,
            progress=reporter.stage,
        )
        reporter.cached = cache.hits if cache is not None else 0
        reporter.diagnostics(result.diagnostics)
        with reporter.timed("compare"):
            diffs = check_output(result.files, output_path)
        for diff in diffs:
            reporter.stdout(diff)
        return reporter.checked(
            result.api.package.name,
            output_path,
            operations=len(result.api.operations),
            models=len(result.api.schemas),
            files=result.files,
            diffs=diffs,
            diagnostics=result.diagnostics,
        )

    _guarded(run, reporter)


@main.command("validate")
@click.argument("spec", type=click.Path(path_type=Path, dir_okay=False))
@_strict_option
@_remote_option
@_reporting("validate")
def validate_command(spec: Path, strict: bool, allow_remote_refs: bool, reporter: Reporter) -> None:
    """Check SPEC: the OpenAPI schema, clientgen's own checks and openapi-spec-validator's; print what they find.

    \b
    Example:
      clientgen validate specs/upvest-investment-api.yaml
    """

    def run() -> int:
        with reporter.timed("load"):
            document = load(spec, allow_remote_refs=allow_remote_refs)
        with reporter.timed("validate"):
            diagnostics = check_spec(document, strict=strict, thorough=True)
        reporter.diagnostics(diagnostics)
        return reporter.validated(spec, document.root, diagnostics)

    _guarded(run, reporter)


@main.command("diff")
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "any", "none"]),
    default="breaking",
    show_default=True,
    help="Exit 1 on breaking changes, on any change, or never.",
)
@click.option(
    "--deprecation-days-stable",
    type=click.IntRange(min=0),
    default=None,
    help="Least days between deprecating a stable operation, parameter or property and its sunset date"
    " (x-sunset); 0 asks for no sunset date. Default: `diff.deprecation-days-stable` of the configuration, else 0.",
)
@click.option(
    "--deprecation-days-beta",
    type=click.IntRange(min=0),
    default=None,
    help="The same for those of stability level beta (x-stability-level).",
)
@_config_option
@_remote_option
@_reporting("diff", DIFF_FORMATS)
def diff_command(
    old: Path,
    new: Path,
    fail_on: Threshold,
    deprecation_days_stable: int | None,
    deprecation_days_beta: int | None,
    config_path: Path | None,
    allow_remote_refs: bool,
    report_format: str,
    reporter: Reporter,
) -> None:
    """Compare two specs through the clients they generate: changes by operation and schema, breaking or not.

    The report goes to stdout (--format text, markdown or json); the specs' warnings and a summary line to
    stderr. Exit 1 when --fail-on is met (by default: a breaking change), 0 otherwise, 2 on bad input.

    \b
    Example:
      clientgen diff specs/api-1.0.yaml specs/api-1.1.yaml --format markdown
    """

    def run() -> int:
        from generator import diff as spec_diff

        config = _config(config_path)
        before = _version_of(old, config, allow_remote_refs, reporter)
        after = _version_of(new, config, allow_remote_refs, reporter)
        policy = spec_diff.policy_of(config, stable=deprecation_days_stable, beta=deprecation_days_beta)
        with reporter.timed("diff"):
            report = spec_diff.diff(before, after, policy)
        _show_report(report, report_format, reporter)
        failing = spec_diff.fails(report, fail_on)
        compatible = len(report.changes) - len(report.breaking)
        message = (
            f"{old} -> {new}: {len(report.breaking)} breaking, {compatible} compatible change(s);"
            f" suggested version bump: {report.bump}"
        )
        return reporter.done(message, exit_code=1 if failing else 0, status="changed" if failing else "ok")

    _guarded(run, reporter)


def _version_of(spec: Path, config: Config, allow_remote_refs: bool, reporter: Reporter) -> Version:
    """A spec's model and document, for a change report: its errors and warnings reported (its notes are
    generate's)."""
    from generator.diff import Version

    api, document, diagnostics = build_document(
        spec, config, allow_remote_refs=allow_remote_refs, timings=reporter.timings
    )
    reporter.diagnostics(d for d in diagnostics if d.severity != "note")
    return Version(api, document)


def _show_report(report: Report, report_format: str, reporter: Reporter) -> None:
    """The change report on stdout, or its keys in the JSON document."""
    from generator import diff as spec_diff

    if report_format == "json":
        reporter.document = json.loads(spec_diff.FORMATS["json"](report))
    else:
        reporter.stdout(spec_diff.FORMATS[report_format](report))


@main.command("update")
@click.option("--from", "source", required=True, help="The new spec: an http(s) URL, a file:// URL or a path.")
@_spec_argument
@_output_option
@_config_option
@_strict_option
@_remote_option
@_no_cache_option
@_reporting("update", DIFF_FORMATS)
def update_command(
    source: str,
    spec: Path | None,
    output: Path | None,
    config_path: Path | None,
    strict: bool,
    allow_remote_refs: bool,
    no_cache: bool,
    report_format: str,
    reporter: Reporter,
) -> None:
    """Fetch a new version of the spec, report what changed, then replace SPEC and regenerate the output.

    The package version moves on by the bump the report suggests (configuration: version-policy). Nothing
    changes unless every step succeeds. Diagnostics name the new spec by --from.

    \b
    Example:
      clientgen update --from https://example.com/openapi.yaml
      clientgen update --from ../downloads/openapi.yaml specs/api.yaml -o output
    """

    def run() -> int:
        config = _config(config_path)
        spec_path, output_path = _spec_and_output(config, spec, output, True)
        cache = _cache(no_cache, output_path)
        done = updating.update(
            source,
            spec_path,
            output_path,
            config,
            strict=strict,
            allow_remote_refs=allow_remote_refs,
            cache=cache,
            timings=reporter.timings,
            progress=reporter.stage,
            show=lambda report: _show_report(report, report_format, reporter),
        )
        reporter.cached = cache.hits if cache is not None else 0
        reporter.diagnostics(done.generation.diagnostics)
        package = done.generation.api.package
        message = (
            f"updated {spec_path} from {display_url(source)} and regenerated {package.name} {package.version}"
            f" into {output_path}"
        )
        return reporter.done(message, spec=str(spec_path), version=package.version, bump=done.bump)

    _guarded(run, reporter)


def _client_folder(config_path: Path | None, folder: Path | None) -> Path:
    """DIR, or the configured output folder."""
    folder = folder or _config(config_path).project.output
    if folder is None:
        _fail("no client folder given: pass DIR, or set 'output' in [tool.clientgen] of pyproject.toml")
    if not folder.is_dir():
        _fail(f"{folder} is not a folder: generate the client first (clientgen generate -o {folder})")
    return folder


_folder_argument = click.argument("folder", metavar="[DIR]", required=False, type=click.Path(path_type=Path))


@main.command("build")
@_folder_argument
@_config_option
@click.option(
    "--no-isolation",
    is_flag=True,
    help="Use the build backend installed here (setuptools>=69) instead of installing it into a fresh"
    " environment: for offline builds.",
)
@_reporting("build")
def build_command(folder: Path | None, config_path: Path | None, no_isolation: bool, reporter: Reporter) -> None:
    """Build a wheel and an sdist of the client generated into DIR, into DIR/dist.

    DIR defaults to the output folder of [tool.clientgen]. Prints the paths of the two files.

    \b
    Example:
      clientgen build output
    """

    def run() -> int:
        from generator import publish as publishing

        with reporter.timed("build"):
            built = publishing.build(_client_folder(config_path, folder), isolation=not no_isolation)
        reporter.stdout(f"{built.wheel}\n{built.sdist}\n")
        message = f"built {built.project.name} {built.project.version} into {built.project.dist}"
        return reporter.done(message, wheel=str(built.wheel), sdist=str(built.sdist))

    _guarded(run, reporter)


@main.command("test")
@_folder_argument
@click.option(
    "--spec",
    "spec",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The spec DIR was generated from (default: `spec` of the configuration).",
)
@click.option(
    "--prism",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The Prism executable (default: $CLIENTGEN_PRISM, else node_modules/.bin/prism here or above, else"
    " `prism` on the PATH).",
)
@_config_option
@click.option("--package", callback=_package_name, help="Import name of the generated package (as given to generate).")
@_remote_option
@_reporting("test")
def test_command(
    folder: Path | None,
    spec: Path | None,
    prism: Path | None,
    config_path: Path | None,
    package: str | None,
    allow_remote_refs: bool,
    reporter: Reporter,
) -> None:
    """Run the tests generate wrote into DIR/tests against a mock server of the spec (Prism).

    Prism checks every request the client sends against the spec. Prints one line per operation whose tests
    failed and a summary (`33 operations: 33 passed`). Exit 0 when all pass, 1 when some fail, 2 when they cannot
    run (no Prism: it says how to install it; no tests; a bad spec).

    \b
    Example:
      clientgen test output
    """

    def run() -> int:
        from generator import contract

        config = _config(config_path).merged(package=package)
        spec_path = spec or config.project.spec
        if spec_path is None:
            _fail("no spec given: pass --spec SPEC, or set 'spec' in [tool.clientgen] of pyproject.toml")
        client = _client_folder(config_path, folder)
        api, diagnostics = build_api(spec_path, config, allow_remote_refs=allow_remote_refs, timings=reporter.timings)
        reporter.diagnostics(d for d in diagnostics if d.severity != "note")
        try:
            executable = contract.find_prism(prism, Path.cwd())
            with reporter.timed("test"):
                outcome = contract.run_tests(client, spec_path, api, executable)
        except contract.ContractError as error:
            _fail(str(error))
        lines = []
        for operation in outcome.failed:
            for test, failure in operation.tests or (("(no test)", "its tests are missing from tests/"),):
                if failure is not None:
                    lines.append(f"FAILED {operation.method} ({operation.operation_id}) {test}: {failure}")
        lines += [f"FAILED {test}: {failure}" for test, failure in outcome.others if failure is not None]
        if lines:
            reporter.stdout("\n".join(lines) + "\n")
        passed = outcome.exit_code == 0
        return reporter.done(
            outcome.summary(),
            exit_code=outcome.exit_code,
            status="ok" if passed else "failed",
            operations=len(outcome.operations),
            failed=[o.method for o in outcome.failed],
        )

    _guarded(run, reporter)


@main.command("publish")
@_folder_argument
@click.option(
    "--repository-url",
    envvar="TWINE_REPOSITORY_URL",
    required=True,
    help="Upload URL of the package index (env TWINE_REPOSITORY_URL).",
)
@click.option("-u", "--username", envvar="TWINE_USERNAME", help="User name for the index (env TWINE_USERNAME).")
@click.option(
    "-p",
    "--password",
    envvar="TWINE_PASSWORD",
    help="Password or token for the index (env TWINE_PASSWORD, better than this option; else keyring).",
)
@click.option("--skip-existing", is_flag=True, help="Skip files the index already has instead of failing.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to connect to the index and to wait for each of its answers.",
)
@_config_option
@_reporting("publish")
def publish_command(
    folder: Path | None,
    repository_url: str,
    username: str | None,
    password: str | None,
    skip_existing: bool,
    timeout: float,
    config_path: Path | None,
    reporter: Reporter,
) -> None:
    """Upload the wheel and sdist built into DIR/dist (by clientgen build) to a package index, with twine.

    Only the files of the version in DIR/pyproject.toml are uploaded. A version the index already has is
    refused, unless --skip-existing. Credentials: the options, TWINE_USERNAME and TWINE_PASSWORD, or keyring
    (a prompt only on a terminal). They are never printed.

    \b
    Example:
      TWINE_USERNAME=ci TWINE_PASSWORD=... clientgen publish output --repository-url https://pypi.example.com/
    """

    def run() -> int:
        from generator import publish as publishing

        with reporter.timed("upload"):
            result = publishing.publish(
                _client_folder(config_path, folder),
                repository_url,
                username=username,
                password=password,
                skip_existing=skip_existing,
                interactive=sys.stdin.isatty() and not reporter.json,  # a prompt would end up in the JSON
                timeout=timeout,
            )
        for path in result.uploaded:
            reporter.info(f"uploaded {path.name}")
        for path in result.skipped:
            reporter.info(f"skipped {path.name}: already on the index")
        message = (
            f"published {result.project.name} {result.project.version} to {result.repository}: "
            f"{len(result.uploaded)} uploaded, {len(result.skipped)} skipped"
        )
        return reporter.done(
            message, uploaded=[p.name for p in result.uploaded], skipped=[p.name for p in result.skipped]
        )

    _guarded(run, reporter)


@main.group("templates")
def templates_group() -> None:
    """The built-in templates, for overlays: list them, or copy one to change it.

    \b
    Example:
      clientgen templates list
      clientgen templates copy package/resources/resource.py.jinja overlay/
    """


@templates_group.command("list")
def templates_list_command() -> None:
    """Print the relative path of every built-in template (the path an overlay template replaces).

    \b
    Example:
      clientgen templates list
    """
    for name in builtin_templates():
        click.echo(name)


@templates_group.command("copy")
@click.argument("name")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Replace a template already in FOLDER.")
def templates_copy_command(name: str, folder: Path, force: bool) -> None:
    """Copy the built-in template NAME into the overlay FOLDER, at the same relative path.

    The copy starts with the template context version it was written for, so that a later clientgen can warn
    when the context changes. Point `templates` in the configuration at FOLDER to use it.

    \b
    Example:
      clientgen templates copy README.md.jinja overlay/
    """
    known = builtin_templates()
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        _fail(
            f"no built-in template '{name}'"
            + (f"; did you mean '{close[0]}'?" if close else "; see `clientgen templates list`")
        )
    target = folder / name
    if target.exists() and not force:
        _fail(f"{target} exists; pass --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template_header() + (templates_root() / name).read_text(encoding="utf-8"), encoding="utf-8")
    click.echo(f"copied {name} to {target}", err=True)


@main.group("config")
def config_group() -> None:
    """The configuration: its reference, or the values in effect.

    \b
    Example:
      clientgen config show
      clientgen config reference > docs/configuration.md
    """


@config_group.command("reference")
def config_reference_command() -> None:
    """Print the reference of every configuration key (Markdown; docs/configuration.md is this output).

    \b
    Example:
      clientgen config reference > docs/configuration.md
    """
    click.echo(reference(), nl=False)


@config_group.command("show")
@_spec_argument
@_config_option
@click.option("--package", callback=_package_name, help="Import name of the generated package (as given to generate).")
@_remote_option
def config_show_command(
    spec: Path | None, config_path: Path | None, package: str | None, allow_remote_refs: bool
) -> None:
    """Print the configuration in effect for SPEC: every key's value, and where it comes from.

    Origins: `default`, `inferred` (from the spec, see the notes of `generate`), `profile NAME` (a vendor
    profile's fact), `file` (the configuration file) and `option` (the command line). Without a spec (SPEC or
    `spec` in the file), nothing is inferred and no profile is detected.

    \b
    Example:
      clientgen config show
      clientgen config show specs/upvest.yaml
    """

    def run() -> int:
        from generator.infer import select_profile, settle

        path = config_path or find_config(Path.cwd())
        config = load_config(path).merged(package=package)
        click.echo(f"# configuration: {path}" if path else "# no configuration file found: defaults")
        spec_path = spec or config.project.spec
        profile_name = ""
        if spec_path is not None:
            document = load(spec_path, allow_remote_refs=allow_remote_refs)
            profile, why = select_profile(document, config)
            profile_name = profile.name if profile is not None else ""
            config, _ = settle(document, config)
            about = f"vendor profile {profile.name} ({why})" if profile is not None else "no vendor profile"
            click.echo(f"# spec: {spec_path}; {about}")
        else:
            click.echo("# no spec given: nothing inferred, no vendor profile detected")
        for key in config_keys():
            origin = config.origin(key)
            if origin == "profile":
                origin = f"profile {profile_name}"
            click.echo(f"{key} = {_shown(config.value(key))}  # {origin}")
        return 0

    _guarded(run)


def _shown(value: Any) -> str:
    if isinstance(value, Path):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return repr({k: v for k, v in asdict(value).items() if v})
    return repr(value)
