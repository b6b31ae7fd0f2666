"""The runtime of generated clients, as plain Python: these modules are copied, unchanged, into every package
clientgen generates (see `generator.render.runtime_files`). This file, `_config.py` and `_version.py` are never copied:
every package gets its own, generated from `templates/package/_config.py.jinja` and `_version.py.jinja`.

They are a package here only so that `mypy --strict` and black check them as source (tests/runtime/test_runtime_source.py).
"""
