"""The package's version. Never copied: each generated package has a `_version.py` of its own, from
`templates/package/_version.py.jinja`; this one lets the runtime be type-checked as source."""

__version__ = "0.0.0"
