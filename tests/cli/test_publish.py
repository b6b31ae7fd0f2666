"""`clientgen build` and `clientgen publish` against a real index, and the published client installed from it.

The index is pypiserver on 127.0.0.1 with every action behind a password (tests/support/package_index.py). The client
is the committed Upvest client (output/), copied and built offline (`--no-isolation`). It is installed with
`pip install --index-url` (the index alone: pip's configuration files and variables are switched off) into a fresh
virtual environment that sees the test interpreter's packages (httpx, pydantic, cryptography) through a .pth
file, so nothing comes from the internet; there it is imported and used against FakeUpvest.

Every `publish` run is checked for the passwords it was given: they must never be printed, even on failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from email.parser import HeaderParser
from email.message import Message
from pathlib import Path
from typing import Iterator

import pytest

from conftest import OUTPUT, SUPPORT, free_port
from fake_upvest import FakeUpvest
from generator.publish import PublishError, display_url, distributions
from package_index import PackageIndex

TESTS = SUPPORT  # keyring_stub lives there
DISTRIBUTION = "upvest-investment-client"
WHEEL = "upvest_investment_client-1.0.0-py3-none-any.whl"
SDIST = "upvest_investment_client-1.0.0.tar.gz"
NULL_KEYRING = "keyring.backends.null.Keyring"


def clientgen(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """clientgen as users run it, without a terminal, twine variables or a system keyring."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TWINE_", "PYTHON_KEYRING"))}
    return subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd,
        env={**base, "PYTHONDONTWRITEBYTECODE": "1", "PYTHON_KEYRING_BACKEND": NULL_KEYRING, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def outcome(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"


def assert_no_secrets(result: subprocess.CompletedProcess[str], *secrets: str) -> None:
    printed = result.stdout + result.stderr
    for secret in secrets:
        assert secret not in printed, f"a password was printed:\n{outcome(result)}"
    assert "Traceback" not in printed, outcome(result)


def copy_client(target: Path) -> Path:
    shutil.copytree(OUTPUT, target, ignore=shutil.ignore_patterns("__pycache__", "dist", "*.egg-info"))
    return target


def set_version(client: Path, version: str) -> None:
    pyproject = client / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    assert 'version = "1.0.0"' in text
    pyproject.write_text(text.replace('version = "1.0.0"', f'version = "{version}"', 1), encoding="utf-8")


def build(client: Path) -> subprocess.CompletedProcess[str]:
    result = clientgen("build", client, "--no-isolation", cwd=client.parent)
    assert result.returncode == 0, outcome(result)
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A copy of output/ with its wheel and sdist built into dist/."""
    client = copy_client(tmp_path_factory.mktemp("publish") / "client")
    return client, build(client)


@pytest.fixture
def client(built: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    return built[0]


@pytest.fixture
def index(tmp_path: Path) -> Iterator[PackageIndex]:
    with PackageIndex(tmp_path / "index") as started:
        yield started


def publish(
    client: Path, index: PackageIndex, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return clientgen("publish", client, "--repository-url", index.upload_url, *args, cwd=client.parent, env=env)


def credentials(index: PackageIndex) -> dict[str, str]:
    return {"TWINE_USERNAME": index.username, "TWINE_PASSWORD": index.password}


# --------------------------------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------------------------------


def _metadata(text: str) -> Message:
    return HeaderParser().parsestr(text)


def test_build_writes_a_wheel_and_an_sdist_with_complete_metadata(
    built: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    client, result = built
    dist = client / "dist"
    assert sorted(p.name for p in dist.iterdir()) == [WHEEL, SDIST]
    assert result.stdout.splitlines() == [str(dist / WHEEL), str(dist / SDIST)]
    assert f"built {DISTRIBUTION} 1.0.0 into " in result.stderr
    as_json = clientgen("build", client, "--no-isolation", "--format", "json", cwd=client.parent)
    summary = json.loads(as_json.stdout)["summary"]
    assert as_json.returncode == 0 and as_json.stderr == ""
    assert (summary["command"], summary["wheel"], summary["sdist"]) == ("build", str(dist / WHEEL), str(dist / SDIST))
    # the folder gains dist/ and nothing else (the package is built from a copy)
    assert sorted(p.name for p in client.iterdir()) == sorted(
        [*(p.name for p in OUTPUT.iterdir() if p.name != "__pycache__"), "dist"]
    )

    with zipfile.ZipFile(dist / WHEEL) as wheel:
        names = wheel.namelist()
        metadata = _metadata(wheel.read("upvest_investment_client-1.0.0.dist-info/METADATA").decode())
    with tarfile.open(dist / SDIST) as sdist:
        members = sdist.getnames()
        extracted = sdist.extractfile("upvest_investment_client-1.0.0/PKG-INFO")
        assert extracted is not None
        sdist_metadata = _metadata(extracted.read().decode())
    assert "upvest_investment_client/py.typed" in names
    assert "upvest_investment_client/resources/orders.py" in names
    assert "upvest_investment_client-1.0.0/upvest_investment_client/py.typed" in members
    for found in (metadata, sdist_metadata):
        assert found["Name"] == DISTRIBUTION
        assert found["Version"] == "1.0.0"
        assert found["Requires-Python"] == ">=3.10"
        requirements = sorted(found.get_all("Requires-Dist") or [])
        assert [r.split("<")[0].split(">")[0] for r in requirements] == ["cryptography", "httpx", "pydantic"]


def test_build_failure_is_one_clear_line(tmp_path: Path) -> None:
    client = copy_client(tmp_path / "client")
    pyproject = client / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"setuptools>=69"', '"setuptools>=999"'), encoding="utf-8")
    result = clientgen("build", client, "--no-isolation", cwd=tmp_path)
    assert result.returncode == 2, outcome(result)
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: building {DISTRIBUTION} 1.0.0 failed: ") and "setuptools>=999" in line, line
    assert not (client / "dist").exists() or not any((client / "dist").iterdir())


def test_build_of_a_folder_that_is_not_a_client(tmp_path: Path) -> None:
    result = clientgen("build", tmp_path, "--no-isolation", cwd=tmp_path)
    assert result.returncode == 2, outcome(result)
    assert (
        result.stderr == f"error: {tmp_path / 'pyproject.toml'} not found: is {tmp_path} a generated client?"
        " Run clientgen generate first\n"
    )
    missing = clientgen("build", tmp_path / "nowhere", cwd=tmp_path)
    assert missing.returncode == 2 and "is not a folder" in missing.stderr, outcome(missing)


def test_build_defaults_to_the_configured_output_folder(tmp_path: Path) -> None:
    copy_client(tmp_path / "generated")
    (tmp_path / "pyproject.toml").write_text('[tool.clientgen]\noutput = "generated"\n', encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    result = clientgen("build", "--no-isolation", cwd=tmp_path / "elsewhere")
    assert result.returncode == 0, outcome(result)
    assert sorted(p.name for p in (tmp_path / "generated" / "dist").iterdir()) == [WHEEL, SDIST]


# --------------------------------------------------------------------------------------------------
# publish, install, use
# --------------------------------------------------------------------------------------------------


def fresh_environment(folder: Path) -> Path:
    """A virtual environment that sees the test interpreter's packages, but nothing of the repository."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120)
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "test_interpreter.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


def pip_install(python: Path, index: PackageIndex, requirement: str) -> subprocess.CompletedProcess[str]:
    """pip install from the test index only: no configuration files, no PIP_* variables, no cache, no prompts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "PYTHONPATH"}
    env |= {"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--no-input",
            "--no-cache-dir",
            "--index-url",
            index.simple_url,
            requirement,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=python.parent,
    )


USE_THE_CLIENT = """
import importlib.metadata, json, sys
import upvest_investment_client
from upvest_investment_client import Client, models

with Client(base_url=sys.argv[1]) as upvest:   # credentials and key from UPVEST_* variables
    users = upvest.users.list().data
    user = upvest.users.retrieve(user_id=users[0].id)
    order = upvest.orders.place(user_id=user.id, account_id=sys.argv[2], side="BUY", instrument_id="US0378331005",
                                order_type="MARKET", cash_amount="25.50", currency="EUR")
print(json.dumps({
    "file": upvest_investment_client.__file__,
    "version": importlib.metadata.version("upvest-investment-client"),
    "users": len(users),
    "user": type(user).__name__,
    "order": isinstance(order, models.Order),
}))
"""


def test_publish_then_install_from_the_index_and_use(tmp_path: Path, index: PackageIndex) -> None:
    client = copy_client(tmp_path / "client")
    build(client)
    published = publish(client, index, env=credentials(index))
    assert published.returncode == 0, outcome(published)
    assert_no_secrets(published, index.password)
    assert published.stderr.splitlines() == [
        f"uploaded {WHEEL}",
        f"uploaded {SDIST}",
        f"published {DISTRIBUTION} 1.0.0 to {index.upload_url}: 2 uploaded, 0 skipped",
    ]
    assert index.files() == sorted([WHEEL, SDIST])

    # a new version: only its files are uploaded, though the older ones are still in dist/
    set_version(client, "1.0.1")
    build(client)
    assert len(list((client / "dist").iterdir())) == 4
    second = publish(client, index, "-u", index.username, "-p", index.password)
    assert second.returncode == 0, outcome(second)
    assert_no_secrets(second, index.password)
    assert "2 uploaded, 0 skipped" in second.stderr
    assert index.files() == sorted([WHEEL, SDIST, WHEEL.replace("1.0.0", "1.0.1"), SDIST.replace("1.0.0", "1.0.1")])

    environment = tmp_path / "venv"
    python = fresh_environment(environment)
    installed = pip_install(python, index, DISTRIBUTION)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert f"Successfully installed {DISTRIBUTION}-1.0.1" in installed.stdout, installed.stdout

    server = FakeUpvest().start()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("UPVEST_") and k != "PYTHONPATH"}
        env |= {
            "UPVEST_CLIENT_ID": server.client_id,
            "UPVEST_CLIENT_SECRET": server.client_secret,
            "UPVEST_KEY_ID": server.client_key_id,
            "UPVEST_PRIVATE_KEY": server.client_private_key_pem.decode(),
        }
        account_id = "9786f312-34f9-41b9-abd6-f2c2ff906d18"
        used = subprocess.run(
            [str(python), "-c", USE_THE_CLIENT, server.base_url, account_id],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.stop()
    assert used.returncode == 0, used.stderr
    report = json.loads(used.stdout)
    assert Path(report["file"]).is_relative_to(environment), report["file"]
    assert report == {**report, "version": "1.0.1", "users": 3, "user": "UserByol", "order": True}
    assert server.errors == []
    assert {r.outcome for r in server.requests} == {"ok"}, [(r.path, r.outcome, r.detail) for r in server.requests]


def test_a_version_already_on_the_index_is_refused_unless_skip_existing(client: Path, index: PackageIndex) -> None:
    first = publish(client, index, env=credentials(index))
    assert first.returncode == 0, outcome(first)

    again = publish(client, index, env=credentials(index))
    assert again.returncode == 2, outcome(again)
    assert again.stderr == (
        f"error: {DISTRIBUTION} 1.0.0 is already on {index.upload_url} ({WHEEL}): versions cannot be replaced;"
        " generate a new version (clientgen generate --bump patch), or pass --skip-existing to upload only what"
        " is missing\n"
    )
    assert_no_secrets(again, index.password)

    skipped = publish(client, index, "--skip-existing", env=credentials(index))
    assert skipped.returncode == 0, outcome(skipped)
    assert_no_secrets(skipped, index.password)
    assert skipped.stderr.splitlines() == [
        f"skipped {WHEEL}: already on the index",
        f"skipped {SDIST}: already on the index",
        f"published {DISTRIBUTION} 1.0.0 to {index.upload_url}: 0 uploaded, 2 skipped",
    ]
    assert index.files() == sorted([WHEEL, SDIST])
    as_json = publish(client, index, "--skip-existing", "--format", "json", env=credentials(index))
    assert as_json.returncode == 0 and as_json.stderr == "", outcome(as_json)
    summary = json.loads(as_json.stdout)["summary"]
    assert (summary["command"], summary["uploaded"], summary["skipped"]) == ("publish", [], [WHEEL, SDIST])
    quiet = publish(client, index, "--skip-existing", "-q", env=credentials(index))
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""
    refused = publish(client, index, "--format", "json", env=credentials(index))
    failed = json.loads(refused.stdout)["summary"]
    assert refused.returncode == 2 and (failed["status"], failed["exit_code"]) == ("failed", 2)
    assert "already on" in failed["message"] and index.password not in refused.stdout


@pytest.mark.parametrize("how", ["options", "environment"])
def test_wrong_credentials_are_refused_without_printing_them(how: str, client: Path, index: PackageIndex) -> None:
    wrong = "Wr0ng-pa55word-zz9"
    if how == "options":
        result = publish(client, index, "--username", index.username, "--password", wrong)
    else:
        result = publish(client, index, env={"TWINE_USERNAME": index.username, "TWINE_PASSWORD": wrong})
    assert result.returncode == 2, outcome(result)
    assert result.stderr == (
        f"error: {index.upload_url} refused the credentials (403 Forbidden): check the user name and password"
        " (--username/--password, TWINE_USERNAME/TWINE_PASSWORD or keyring)\n"
    )
    assert_no_secrets(result, wrong, index.password)
    assert index.files() == []


def test_unreachable_index_is_a_clear_error(client: Path) -> None:
    password = "Unre4chable-secret"
    url = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    with_credentials_in_url = url.replace("http://", f"http://ci:{password}@")
    for args in (["--repository-url", url, "-u", "ci", "-p", password], ["--repository-url", with_credentials_in_url]):
        result = clientgen("publish", client, *args, cwd=client.parent)
        assert result.returncode == 2, outcome(result)
        assert result.stderr == f"error: cannot reach the package index at {url}: connection refused\n"
        assert_no_secrets(result, password)


def test_password_from_keyring(client: Path, index: PackageIndex) -> None:
    keyring = {f"{index.username}@{index.upload_url}": index.password}
    result = publish(
        client,
        index,
        "-u",
        index.username,
        env={
            "PYTHON_KEYRING_BACKEND": "keyring_stub.EnvironmentKeyring",
            "PYTHONPATH": str(TESTS),
            "CLIENTGEN_TEST_KEYRING": json.dumps(keyring),
        },
    )
    assert result.returncode == 0, outcome(result)
    assert_no_secrets(result, index.password)
    assert index.files() == sorted([WHEEL, SDIST])


def test_missing_credentials_without_a_terminal(client: Path, index: PackageIndex) -> None:
    result = publish(client, index)
    assert result.returncode == 2, outcome(result)
    assert result.stderr == (
        f"error: no credentials for {index.upload_url}: pass --username and --password, set TWINE_USERNAME and"
        " TWINE_PASSWORD, or store the password in keyring for this URL\n"
    )
    assert index.files() == []


def test_publish_before_build(tmp_path: Path) -> None:
    client = copy_client(tmp_path / "client")
    result = clientgen("publish", client, "--repository-url", "http://127.0.0.1:9/", cwd=tmp_path)
    assert result.returncode == 2, outcome(result)
    assert result.stderr == (
        f"error: no wheel or sdist of {DISTRIBUTION} 1.0.0 in {client / 'dist'}: run clientgen build {client} first\n"
    )


def test_publish_needs_a_repository_url(client: Path) -> None:
    result = clientgen("publish", client, cwd=client.parent)
    assert result.returncode == 2, outcome(result)
    assert "Missing option '--repository-url'" in result.stderr


# --------------------------------------------------------------------------------------------------
# generator.publish, directly
# --------------------------------------------------------------------------------------------------


def test_display_url_drops_user_information() -> None:
    assert display_url("https://ci:s3cret@pypi.example.com:8443/upload/") == "https://pypi.example.com:8443/upload/"
    assert display_url("http://token@[::1]:8080/") == "http://[::1]:8080/"
    assert display_url("https://pypi.example.com/") == "https://pypi.example.com/"


def test_distributions_are_those_of_the_current_version(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "Acme.Client"\nversion = "2.0"\n', encoding="utf-8")
    dist = tmp_path / "dist"
    dist.mkdir()
    names = [
        "acme_client-2.0.0-py3-none-any.whl",  # 2.0 and 2.0.0 are the same version
        "acme_client-2.0.0.tar.gz",
        "acme_client-1.9.0-py3-none-any.whl",
        "acme_client-1.9.0.tar.gz",
        "other_client-2.0.0-py3-none-any.whl",
        "acme_client-2.0.0-py3-none-any.whl.asc",
        "notes.txt",
        "broken-.tar.gz",
    ]
    for name in names:
        (dist / name).write_bytes(b"")
    found, files = distributions(tmp_path)
    assert (found.name, found.version) == ("Acme.Client", "2.0")
    assert [f.name for f in files] == ["acme_client-2.0.0-py3-none-any.whl", "acme_client-2.0.0.tar.gz"]

    (tmp_path / "pyproject.toml").write_text('[project]\nname = "acme-client"\nversion = "3.0"\n', encoding="utf-8")
    with pytest.raises(PublishError, match=r"no wheel or sdist of acme-client 3.0 in .*: run clientgen build"):
        distributions(tmp_path)


def test_an_index_that_never_answers_times_out(client: Path) -> None:
    """It takes the connection and reads the upload, but never answers: twine would wait for ever."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            held.append(connection)
            connection.settimeout(0.2)
            while not stop.is_set():
                try:
                    if not connection.recv(65536):
                        break
                except OSError:
                    continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    try:
        # without --timeout, twine would wait for ever: the run is given 120 s, not the usual 600, to show it
        result = clientgen(
            "publish",
            client,
            *("--repository-url", url, "-u", "ci", "-p", "s3cret", "--timeout", "1"),
            cwd=client.parent,
            timeout=120,
        )
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()
    assert result.returncode == 2, outcome(result)
    assert result.stderr == f"error: cannot reach the package index at {url}: timed out\n"
    assert_no_secrets(result, "s3cret")
