"""Building and publishing a generated client: a wheel and an sdist (`build`), uploaded to an index (`twine`).

    built = build(Path("output"))                         # output/dist/<name>-<version>-py3-none-any.whl, .tar.gz
    upload = publish(Path("output"), "https://pypi.internal.example/", username="ci", password=...)

Only the files of the version in the folder's pyproject.toml are uploaded, one at a time, so that a version the
index already has is recognised per file: refused (`PublishError`), or skipped with `skip_existing`. Credentials
come from the arguments, else from the URL, else from keyring (twine's resolution); they never appear in an
error: messages are written here from status codes, with the URL's user information removed, and any text taken
from elsewhere has the password masked.
"""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

from generator.urls import display_url

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from generator.diagnostics import PublishError

DIST = "dist"
#: What is left out of the copy the package is built from: earlier builds, caches, hidden files and folders.
_NOT_BUILT_FROM = shutil.ignore_patterns(DIST, "build", "*.egg-info", "__pycache__", ".*")

#: seconds to connect to a package index and to wait for each of its answers
UPLOAD_TIMEOUT = 60.0


@dataclass(frozen=True)
class Project:
    """The distribution a generated client folder builds: from its pyproject.toml."""

    folder: Path
    name: str
    version: str

    @property
    def dist(self) -> Path:
        return self.folder / DIST


@dataclass(frozen=True)
class Built:
    project: Project
    wheel: Path
    sdist: Path


@dataclass(frozen=True)
class Upload:
    project: Project
    repository: str  # the index URL without user information
    uploaded: tuple[Path, ...]
    skipped: tuple[Path, ...]  # already on the index (with skip_existing)


def project(folder: Path) -> Project:
    """The name and version of the client generated into `folder`."""
    pyproject = folder / "pyproject.toml"
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PublishError(f"{pyproject} not found: is {folder} a generated client? Run clientgen generate first")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PublishError(f"cannot read {pyproject}: {exc}")
    table = data.get("project", {})
    name, version = table.get("name"), table.get("version")
    if not isinstance(name, str) or not isinstance(version, str):
        raise PublishError(f"{pyproject} has no [project] name and version")
    return Project(folder, name, version)


def build(folder: Path, *, isolation: bool = True) -> Built:
    """Build the sdist, and the wheel from it, into `folder`/dist (`python -m build`).

    The package is built from a copy of the folder, so that the folder gains nothing but dist/. With
    `isolation=False` the build backend must already be installed (offline builds).
    """
    found = project(folder)
    with tempfile.TemporaryDirectory(prefix="clientgen-build-") as temporary:
        source = Path(temporary) / "source"
        shutil.copytree(folder, source, ignore=_NOT_BUILT_FROM)
        command = [sys.executable, "-m", "build", "--outdir", str(found.dist.resolve())]
        if not isolation:
            command.append("--no-isolation")
        result = subprocess.run([*command, str(source)], capture_output=True, text=True, cwd=temporary)
    if result.returncode != 0:
        reason = _build_failure(result.stdout + result.stderr).replace(str(source), str(folder))
        raise PublishError(f"building {found.name} {found.version} failed: {reason}")
    wheels, sdists = _files(found)
    if not wheels or not sdists:
        raise PublishError(f"building {found.name} {found.version} left no wheel and sdist in {found.dist}")
    return Built(found, wheels[0], sdists[0])


def _build_failure(output: str) -> str:
    """The last error `build` reported, on one line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if "No module named build" in output:
        return "the 'build' package is not installed (pip install build)"
    errors = [i for i, line in enumerate(lines) if line.startswith("ERROR") or "Error" in line.split(":")[0]]
    start = errors[-1] if errors else max(len(lines) - 3, 0)
    return " ".join(lines[start : start + 4]) or "no output"


def _files(found: Project) -> tuple[list[Path], list[Path]]:
    """The wheels and sdists in dist/ of exactly this name and version (older builds may lie beside them)."""
    try:
        name, version = canonicalize_name(found.name), Version(found.version)
    except InvalidVersion:
        raise PublishError(f"{found.folder / 'pyproject.toml'}: version {found.version!r} is not valid (PEP 440)")
    wheels: list[Path] = []
    sdists: list[Path] = []
    for path in sorted(found.dist.iterdir()) if found.dist.is_dir() else ():
        try:
            if path.name.endswith(".whl"):
                wheel_name, wheel_version, _, _ = parse_wheel_filename(path.name)
                if (wheel_name, wheel_version) == (name, version):
                    wheels.append(path)
            elif path.name.endswith(".tar.gz"):
                if parse_sdist_filename(path.name) == (name, version):
                    sdists.append(path)
        except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
            continue
    return wheels, sdists


def distributions(folder: Path) -> tuple[Project, list[Path]]:
    """The wheel and sdist of the folder's current version, from dist/; PublishError when there are none."""
    found = project(folder)
    wheels, sdists = _files(found)
    if not wheels and not sdists:
        raise PublishError(
            f"no wheel or sdist of {found.name} {found.version} in {found.dist}: run clientgen build {folder} first"
        )
    return found, [*wheels, *sdists]


def publish(
    folder: Path,
    repository_url: str,
    *,
    username: str | None = None,
    password: str | None = None,
    skip_existing: bool = False,
    interactive: bool = False,
    timeout: float = UPLOAD_TIMEOUT,
) -> Upload:
    """Upload the folder's current wheel and sdist to the index at `repository_url` (its upload URL).

    `interactive`: ask for missing credentials (a terminal); otherwise they must come from the arguments, the URL
    or keyring. `timeout`: seconds to connect, and to wait for each answer (an index that takes the connection
    and never answers would hold the command for ever; twine sets none).
    """
    import requests  # twine and requests take a while to import: only for this command
    from twine import exceptions as twine_errors
    from twine.commands.upload import upload
    from twine.settings import Settings

    found, files = distributions(folder)
    shown = display_url(repository_url)
    secrets = [s for s in (password, urlsplit(repository_url).password) if s]
    with _twine_logs_kept_quiet():
        try:
            settings = Settings(
                repository_url=repository_url,
                username=username,
                password=password,
                non_interactive=not interactive,
                disable_progress_bar=True,
            )
            # keyring, or a prompt, now: not while twine's output is held back
            if settings.username is None or not settings.password:
                raise twine_errors.NonInteractive("no credentials")
        except twine_errors.NonInteractive:
            raise PublishError(
                f"no credentials for {shown}: pass --username and --password, set TWINE_USERNAME and TWINE_PASSWORD,"
                " or store the password in keyring for this URL"
            ) from None
        except twine_errors.TwineException as exc:
            raise PublishError(f"invalid repository URL {shown}: {_masked(str(exc), secrets)}") from None
        secrets.append(settings.password)
        uploaded: list[Path] = []
        skipped: list[Path] = []
        for path in files:
            try:
                # twine's progress: the command line reports instead
                with contextlib.redirect_stdout(io.StringIO()), _requests_timeout(requests, timeout):
                    upload(settings, [str(path)])
            except requests.HTTPError as exc:
                if exc.response is not None and _already_there(exc.response):
                    if skip_existing:
                        skipped.append(path)
                        continue
                    raise PublishError(
                        f"{found.name} {found.version} is already on {shown} ({path.name}): versions cannot be"
                        " replaced; generate a new version (clientgen generate --bump patch), or pass"
                        " --skip-existing to upload only what is missing"
                    ) from None
                raise PublishError(_refusal(exc.response, shown, path)) from None
            except requests.exceptions.SSLError:
                raise PublishError(f"cannot reach the package index at {shown}: TLS verification failed") from None
            except (requests.ConnectionError, requests.Timeout) as exc:
                raise PublishError(f"cannot reach the package index at {shown}: {_reason(exc)}") from None
            except twine_errors.TwineException as exc:
                raise PublishError(f"uploading {path.name} to {shown} failed: {_masked(str(exc), secrets)}") from None
            uploaded.append(path)
    return Upload(found, shown, tuple(uploaded), tuple(skipped))


@contextlib.contextmanager
def _requests_timeout(requests: Any, seconds: float) -> Iterator[None]:
    """Every request twine makes meanwhile times out after `seconds` (connecting, and each wait for data)."""
    original = requests.Session.request

    def request(session: Any, method: str, url: str, **kwargs: Any) -> Any:
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = seconds
        return original(session, method, url, **kwargs)

    requests.Session.request = request
    try:
        yield
    finally:
        requests.Session.request = original


def _refusal(response: object, shown: str, path: Path) -> str:
    status = f"{getattr(response, 'status_code', '')} {getattr(response, 'reason', '')}".strip() or "an error"
    if getattr(response, "status_code", None) in (401, 403):
        return (
            f"{shown} refused the credentials ({status}): check the user name and password"
            " (--username/--password, TWINE_USERNAME/TWINE_PASSWORD or keyring)"
        )
    return f"{shown} refused {path.name}: {status}"


def _already_there(response: object) -> bool:
    """The index's way of saying that the file exists (pypiserver: 409; PyPI, Artifact Registry: 400)."""
    status = getattr(response, "status_code", 0)
    text = f"{getattr(response, 'reason', '')} {getattr(response, 'text', '')}".lower()
    return status == 409 or (status == 400 and "already exist" in text)


def _reason(exc: BaseException) -> str:
    """The innermost cause of a connection failure, in words ("Connection refused", "Name or service not known")."""
    text = str(exc)
    for marker in (
        "Connection refused",
        "Name or service not known",
        "No route to host",
        "timed out",
        "Temporary failure in name resolution",
        "Network is unreachable",
    ):
        if marker in text:
            return marker.lower()
    return "connection failed"


def _masked(text: str, secrets: list[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "****")
    return " ".join(text.split())


@contextlib.contextmanager
def _twine_logs_kept_quiet() -> Iterator[None]:
    """Twine logs warnings (a keyring that failed, a failed upload) for its own command line; ours reports instead."""
    logger = logging.getLogger("twine")
    handler = logging.NullHandler()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
