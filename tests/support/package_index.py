"""A real package index for the publish tests: pypiserver on 127.0.0.1, every action behind a password.

    with PackageIndex(tmp_path) as index:
        index.upload_url        # for twine / clientgen publish
        index.simple_url        # for pip install --index-url (carries the credentials)
        index.username, index.password

pypiserver runs with `--disable-fallback`, so that a name it does not have is never looked up on the public index.
"""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import free_port

STARTUP_SECONDS = 60.0


class PackageIndex:
    def __init__(self, folder: Path, *, username: str = "ci-publisher", password: str = "Pa55-index-7q4x") -> None:
        self.folder = folder
        self.packages = folder / "packages"
        self.username = username
        self.password = password
        self.port = free_port()
        self.upload_url = f"http://127.0.0.1:{self.port}/"
        self.simple_url = f"http://{username}:{password}@127.0.0.1:{self.port}/simple/"
        self.log = folder / "pypiserver.log"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> PackageIndex:
        self.packages.mkdir(parents=True, exist_ok=True)
        # `htpasswd -s` format; pypiserver checks it with passlib
        digest = base64.b64encode(hashlib.sha1(self.password.encode()).digest()).decode()
        (self.folder / "htpasswd").write_text(f"{self.username}:{{SHA}}{digest}\n", encoding="utf-8")
        command = [sys.executable, "-m", "pypiserver", "run", "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--authenticate", "update,download,list", "--passwords", str(self.folder / "htpasswd")]
        command += ["--disable-fallback", "--server", "wsgiref", str(self.packages)]
        with open(self.log, "ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        started = time.monotonic()
        while time.monotonic() - started < STARTUP_SECONDS:
            if self._process.poll() is not None:
                raise RuntimeError(f"pypiserver exited with {self._process.returncode}:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"pypiserver did not answer within {STARTUP_SECONDS:.0f} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def files(self) -> list[str]:
        return sorted(path.name for path in self.packages.iterdir())

    def __enter__(self) -> PackageIndex:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
