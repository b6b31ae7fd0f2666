"""The security pass: the spec's security schemes, the headers they set, the scope sets that allow each call, and
how the client authenticates (`Auth`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from generator.build.common import Run, mapping, netloc
from generator.config import TRANSPORT_HEADERS as CONFIG_TRANSPORT_HEADERS, Config
from generator.load import Location, escape_pointer_token
from generator.infer import client_setting_names
from generator.model import ApiKeySetting, Auth, SecurityRequirement, SecurityScheme, Server, Signing

#: Headers the runtime always sets itself, hidden from methods whatever the spec says (`accept` stays an argument
#: where an operation declares it; `authorization` is hidden when a security scheme sets it).
TRANSPORT_HEADERS = CONFIG_TRANSPORT_HEADERS - {"accept", "authorization"}


@dataclass(frozen=True)
class Security:
    """The security schemes, with the names of the OAuth2 ones and of those with a client-credentials flow."""

    schemes: tuple[SecurityScheme, ...]
    oauth: frozenset[str]
    client_credentials: frozenset[str]

    def managed_headers(self, config: Config) -> frozenset[str]:
        """Headers no method takes as an argument: the runtime, the credentials or the configuration set them."""
        managed = set(config.client.managed_headers) | TRANSPORT_HEADERS
        managed |= {h for h in (config.auth.client_id_header, config.auth.signature_version_header) if h}
        for scheme in self.schemes:
            if scheme.kind == "apiKey" and scheme.location == "header" and scheme.parameter:
                managed.add(scheme.parameter.lower())
            elif scheme.kind in ("http", "oauth2", "openIdConnect"):
                managed.add("authorization")
        return frozenset(managed)

    def scope_sets(self, config: Config, security: tuple[SecurityRequirement, ...]) -> tuple[tuple[str, ...], ...]:
        """The OAuth2 scope sets that allow a call. With `requirement-scopes = "any"` (Upvest lists `x:read`
        and `x:admin` in one requirement, meaning either), each scope of a requirement is a set of its own."""
        sets: list[tuple[str, ...]] = []
        for requirement in security:
            scopes = tuple(scope for scheme, listed in requirement.schemes if scheme in self.oauth for scope in listed)
            if not scopes:
                continue
            if config.auth.requirement_scopes == "any":
                sets.extend((scope,) for scope in scopes)
            else:
                sets.append(scopes)
        return tuple(dict.fromkeys(sets))

    def api_keys(
        self, prefix: str, requirements: list[tuple[SecurityRequirement, ...]], taken: set[str]
    ) -> tuple[ApiKeySetting, ...]:
        """One setting per apiKey scheme, when some security requirement needs several of them together (Appwrite:
        a project id and a key); none otherwise (one `api_key` then serves every scheme). `taken`: the arguments
        and environment variables of the client settings, which the keys must not take."""
        keys = {s.name: s for s in self.schemes if s.kind == "apiKey" and s.parameter and s.location in ("header", "query")}
        together = any(
            sum(1 for name, _ in requirement.schemes if name in keys) > 1
            for listed in requirements
            for requirement in listed
        )
        if not together:
            return ()
        found: list[ApiKeySetting] = []
        for name, scheme in keys.items():
            argument, variable = client_setting_names(name, prefix, taken, suffix="key")
            header = scheme.parameter.lower() if scheme.location == "header" else None
            found.append(ApiKeySetting(name, argument, variable, header, scheme.parameter if header is None else None))
        return tuple(found)

    def auth(
        self,
        config: Config,
        servers: tuple[Server, ...],
        jwks_path: str | None,
        api_keys: tuple[ApiKeySetting, ...] = (),
    ) -> Auth:
        token_path = None
        hosts = {netloc(server.url) for server in servers}
        for scheme in self.schemes:
            if scheme.kind == "oauth2" and scheme.token_url and scheme.name in self.client_credentials:
                try:
                    url = urlsplit(scheme.token_url)
                except ValueError:
                    continue
                if url.scheme in ("http", "https") and url.netloc not in hosts:
                    token_path = scheme.token_url  # an authorization server of its own: keep its URL
                else:  # on the API's own servers: the same path on whichever server the client uses
                    token_path = "/" + url.path.lstrip("/")
                break
        signing = None
        if config.auth.signing_components is not None:  # configured, or inferred from signature headers (infer.settle)
            signing = Signing(config.auth.signing_components, config.auth.signature_version_header, config.auth.signature_version)
        single = [s for s in self.schemes if s.kind == "apiKey" and s.parameter] if not api_keys else []
        header = next((s.parameter for s in single if s.location == "header"), None)
        query = next((s.parameter for s in single if s.location == "query"), None)
        return Auth(
            token_path=token_path,
            client_id_header=config.auth.client_id_header,
            signing=signing,
            jwks_path=config.auth.webhook_keys_path or jwks_path,
            api_key_header=header.lower() if header else None,
            api_key_query=query,
            basic=any(s.kind == "http" and s.scheme == "basic" for s in self.schemes),
            api_keys=api_keys,
        )


def security(run: Run) -> Security:
    """The document's security schemes (components/securitySchemes), in the spec's order."""
    components = run.document.root.get("components") or {}
    raw = components.get("securitySchemes") if isinstance(components, dict) else None
    schemes: list[SecurityScheme] = []
    oauth: set[str] = set()
    client_credentials: set[str] = set()
    for name, scheme in (raw or {}).items() if isinstance(raw, dict) else ():
        scheme, _ = run.follow(
            scheme, Location(run.document.main, f"/components/securitySchemes/{escape_pointer_token(name)}")
        )
        if not isinstance(scheme, dict):
            continue
        kind = str(scheme.get("type", ""))
        token_url = ""
        scopes: list[str] = []
        flows = mapping(scheme.get("flows"))
        if isinstance(flows.get("clientCredentials"), dict):
            client_credentials.add(str(name))
        if kind == "oauth2":
            oauth.add(str(name))
        for flow in flows.values():
            if isinstance(flow, dict):
                token_url = token_url or str(flow.get("tokenUrl", ""))
                if isinstance(flow.get("scopes"), dict):
                    scopes.extend(str(s) for s in flow["scopes"] if str(s) not in scopes)
        schemes.append(
            SecurityScheme(
                name=str(name),
                kind=kind,
                location=str(scheme.get("in", "")),
                parameter=str(scheme.get("name", "")),
                scheme=str(scheme.get("scheme", "")).lower(),
                token_url=token_url,
                scopes=tuple(scopes),
            )
        )
    return Security(tuple(schemes), frozenset(oauth), frozenset(client_credentials))


def requirements(raw: Any) -> tuple[SecurityRequirement, ...]:
    """An operation's (or the document's) `security` list."""
    found: list[SecurityRequirement] = []
    for requirement in raw if isinstance(raw, list) else []:
        if isinstance(requirement, dict):
            found.append(
                SecurityRequirement(
                    tuple(
                        (str(name), tuple(str(s) for s in scopes) if isinstance(scopes, list) else ())
                        for name, scopes in requirement.items()
                    )
                )
            )
    return tuple(found)
