"""The generated package's identity (names, version, defaults) and the API's servers."""

from __future__ import annotations

import re

from generator import names
from generator.build.common import Run, mapping, text
from generator.config import DEFAULT_REQUEST_ID_HEADER
from generator.infer import env_prefix
from generator.model import Package, Server


def package(run: Run, title: str, spec_version: str) -> Package:
    config = run.config
    name = config.project.package or f"{names.snake(title, fallback='api')}_client"
    distribution = config.project.distribution or name.replace("_", "-")
    version = config.project.version or pep440(spec_version)
    retry = tuple((key, value) for key, value in vars(config.client.retry).items() if value is not None)
    return Package(
        name,
        distribution,
        version,
        env_prefix(config, title),
        config.client.request_id_header or DEFAULT_REQUEST_ID_HEADER,
        timeout=config.client.timeout,
        connect_timeout=config.client.connect_timeout,
        retry=retry,
    )


def servers(run: Run) -> tuple[Server, ...]:
    """The configuration's environments, which replace the spec's servers; else the spec's servers, named."""
    if run.config.client.environments:
        return tuple(Server(url=url, name=name, description="") for name, url in run.config.client.environments)
    found: list[Server] = []
    taken = names.Namespace()
    raw = run.document.root.get("servers")
    for index, server in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        url = server["url"]
        for variable, spec in mapping(server.get("variables")).items():
            if isinstance(spec, dict) and "default" in spec:
                url = url.replace("{" + str(variable) + "}", str(spec["default"]))
        description = text(server.get("description"))
        base = names.snake(description.split()[0]) if description else ""
        if not base:
            host = re.sub(r"^[a-z]+://", "", url).split("/")[0].split(".")[0]
            base = names.snake(host, fallback=f"server_{index + 1}")
        found.append(Server(url=url, name=taken.claim(base), description=description))
    return tuple(found)


def pep440(version: str) -> str:
    """A PEP 440 version for the generated package from the spec's `info.version`."""
    version = version.strip().lstrip("vV")
    if re.fullmatch(r"\d+(\.\d+)*", version):
        return version
    numbers = re.findall(r"\d+", version)[:4]
    return ".".join(str(int(n)) for n in numbers) if numbers else "0.0.0"
