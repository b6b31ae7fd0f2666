"""generator.format and generator.layout: pieces, the cache, worker processes, and black-stable layout."""

from __future__ import annotations

import keyword
from pathlib import Path

import black
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import format as fmt
from generator import layout
from generator.format import CUT, MEMBER, MODE, FormatCache, FormatError, format_files

MODULE = (
    '"""A module."""\n\nimport typing as _t\n'
    + CUT
    + "_A: int = f(1,2)\n"
    + CUT
    + "_B: int = f( 3 )\n"
    + CUT
    + "class K:\n    '''Doc.'''\n\n    x: int\n"
    + MEMBER
    + "    def m(self)->int:\n        return 1\n"
    + MEMBER
    + "    async def n(self, a:int, b:str='x')->None:\n        pass\n"
    + CUT
    + "_C = [1,2,3]\n"
    + CUT
    + "def g(): return _C\n"
)


def whole(text: str) -> str:
    """What black makes of the file with one blank line where each cut was (black keeps those as they are)."""
    return black.format_str(fmt._MARK.sub("\n", text), mode=MODE)


def test_pieces_joined_are_black_of_the_whole_file() -> None:
    out = format_files({"pkg/m.py": MODULE, "README.md": "keep " + CUT})["pkg/m.py"]
    assert out == whole(MODULE)
    assert black.format_str(out, mode=MODE) == out
    assert "\x00" not in out


def test_other_files_pass_through() -> None:
    assert format_files({"README.md": "x  =  1\n"}) == {"README.md": "x  =  1\n"}


def test_workers_give_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmt, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(fmt, "BATCH_SIZE", 50)
    files = {f"pkg/m{i}.py": MODULE.replace("_A", f"_A{i}") for i in range(6)}
    assert format_files(files, jobs=2) == format_files(files, jobs=1)


def test_this_process_and_the_worker_take_batches_from_one_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmt, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(fmt, "BATCH_SIZE", 1)  # a batch per piece
    files = {f"pkg/m{i}.py": MODULE.replace("_A", f"_A{i}") for i in range(4)}
    expected = format_files(files, jobs=1)
    here: list[str] = []
    real = fmt._format_piece

    def counted(kind: str, text: str, path: str) -> str:
        here.append(path)
        return real(kind, text, path)

    with fmt.Workers(2) as workers:  # forked before the count starts: what the worker formats is not counted
        monkeypatch.setattr(fmt, "_format_piece", counted)
        assert format_files(files, jobs=2, workers=workers) == expected
    pieces = sum(len(fmt._split(text)) for text in files.values())
    assert 1 <= len(here) <= pieces - 2  # the worker had two batches waiting; this process took the next


@pytest.mark.parametrize("noticed", [False, True], ids=["sent-at-once", "sent-after-the-pool-noticed"])
@pytest.mark.parametrize("many", [False, True], ids=["few-pieces", "shared-out"])
def test_a_worker_that_dies_leaves_its_pieces_to_this_process(
    monkeypatch: pytest.MonkeyPatch, many: bool, noticed: bool
) -> None:
    """Killed before the work is sent: either the pool has not noticed yet (the work is sent, its result is a
    BrokenProcessPool) or it has (sending fails). Either way this process formats the pieces."""
    import os
    import signal
    import time

    if many:  # the pieces are shared out between this process and the worker, not all sent to the worker
        monkeypatch.setattr(fmt, "PARALLEL_THRESHOLD", 0)
        monkeypatch.setattr(fmt, "BATCH_SIZE", 50)
    files = {f"pkg/m{i}.py": MODULE.replace("_A", f"_A{i}") for i in range(6)}
    expected = format_files(files, jobs=1)
    with fmt.Workers(2) as workers:
        assert workers.pool is not None
        workers.pool.submit(int).result()  # the worker is up
        for pid in list(workers.pool._processes):  # type: ignore[attr-defined]
            os.kill(pid, signal.SIGKILL)  # as the kernel's out-of-memory killer would
        deadline = time.monotonic() + 30
        while noticed and not workers.pool._broken and time.monotonic() < deadline:  # type: ignore[attr-defined]
            time.sleep(0.01)
        assert format_files(files, jobs=2, workers=workers) == expected


def test_a_fork_that_fails_after_others_leaves_no_worker_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers forked before a later fork failed would wait for work forever, and keep this process from
    exiting (multiprocessing joins them at exit): they are stopped, and this process formats alone."""
    import multiprocessing
    import os

    forks: list[int] = []
    real_fork = os.fork

    def fork_twice_then_fail() -> int:
        forks.append(1)
        if len(forks) > 2:
            raise OSError(11, "Resource temporarily unavailable")
        return real_fork()

    monkeypatch.setattr(os, "fork", fork_twice_then_fail)
    try:
        with fmt.Workers(4) as workers:
            assert workers.pool is None and workers.count == 0
            assert len(forks) == 3
            assert multiprocessing.active_children() == []
            monkeypatch.setattr(fmt, "PARALLEL_THRESHOLD", 0)
            assert format_files({"pkg/m.py": MODULE}, jobs=4, workers=workers)["pkg/m.py"] == whole(MODULE)
    finally:
        for child in multiprocessing.active_children():  # never leave the test run hanging at its exit
            child.kill()


def test_without_worker_processes_this_process_formats(monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    def unavailable(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")  # as sem_open says without /dev/shm

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", unavailable)
    monkeypatch.setattr(fmt, "PARALLEL_THRESHOLD", 0)
    with fmt.Workers(2) as workers:
        assert workers.pool is None and workers.count == 0
        assert format_files({"pkg/m.py": MODULE}, jobs=2, workers=workers)["pkg/m.py"] == whole(MODULE)


def test_invalid_code_is_a_format_error_naming_the_file_even_from_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmt, "PARALLEL_THRESHOLD", 0)
    files = {"pkg/ok.py": MODULE, "pkg/bad.py": "def (:\n"}
    for jobs in (1, 2):
        with pytest.raises(FormatError, match="pkg/bad.py"):
            format_files(files, jobs=jobs)


def test_the_cache_is_used_and_keyed_by_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = FormatCache(tmp_path)
    expected = format_files({"pkg/m.py": MODULE}, cache=first)
    assert first.hits == 0
    second = FormatCache(tmp_path)
    assert format_files({"pkg/m.py": MODULE}, cache=second) == expected
    assert second.hits == len(fmt._split(MODULE))

    def refuse(*args: object) -> str:
        raise AssertionError("black ran for a cached piece")

    monkeypatch.setattr(fmt, "_format_piece", refuse)
    third = FormatCache(tmp_path)
    assert format_files({"pkg/m.py": MODULE}, cache=third) == expected
    # a changed piece is formatted afresh: never a stale answer for new content
    with pytest.raises(AssertionError, match="black ran"):
        format_files({"pkg/m.py": MODULE.replace("f(1,2)", "f(1,2,3)")}, cache=FormatCache(tmp_path))


def test_an_unwritable_cache_folder_is_no_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = FormatCache(blocker)
    assert format_files({"pkg/m.py": MODULE}, cache=cache)["pkg/m.py"] == whole(MODULE)


def test_a_broken_cache_file_is_not_trusted(tmp_path: Path) -> None:
    format_files({"pkg/m.py": MODULE}, cache=FormatCache(tmp_path))
    [stored] = list((tmp_path / "format").iterdir())
    for garbage in (b"", b"\xff\xfe not marshal", stored.read_bytes()[:100]):
        stored.write_bytes(garbage)
        cache = FormatCache(tmp_path)
        assert format_files({"pkg/m.py": MODULE}, cache=cache)["pkg/m.py"] == whole(MODULE)
        assert cache.hits == 0


def test_the_cache_keeps_what_the_last_run_used_and_does_not_grow_without_bound(tmp_path: Path) -> None:
    import marshal

    versions = [MODULE.replace("f(1,2)", f"f(1,{n})") for n in range(50)]
    for text in versions:
        format_files({"pkg/m.py": text}, cache=FormatCache(tmp_path))
    pieces = len(fmt._split(MODULE))
    [stored] = list((tmp_path / "format").iterdir())
    entries = marshal.loads(stored.read_bytes())
    used = sum(len(text) for text in format_files({"pkg/m.py": versions[-1]}).values())
    # what the last run used, and old entries up to as much again (the last one may cross the line)
    assert len(entries) < 50 and sum(len(text) for text in entries.values()) <= 2 * used + 100
    # back and forth between two versions: both stay cached
    for text in (versions[48], versions[49], versions[48]):
        cache = FormatCache(tmp_path)
        format_files({"pkg/m.py": text}, cache=cache)
        assert cache.hits == pieces


def test_caches_are_per_name(tmp_path: Path) -> None:
    format_files({"pkg/m.py": MODULE}, cache=FormatCache(tmp_path, "one"))
    other = FormatCache(tmp_path, "two/../three")
    format_files({"pkg/m.py": MODULE}, cache=other)
    assert other.hits == 0
    assert sorted(p.name for p in (tmp_path / "format").iterdir()) == ["one.marshal", "two_.._three.marshal"]


def test_caches_of_output_folders_untouched_for_a_month_are_removed(tmp_path: Path) -> None:
    import os
    import time

    format_files({"pkg/m.py": MODULE}, cache=FormatCache(tmp_path, "old"))
    format_files({"pkg/m.py": MODULE}, cache=FormatCache(tmp_path, "recent"))
    old = tmp_path / "format" / "old.marshal"
    month_ago = time.time() - fmt.STALE_AFTER - 60
    os.utime(old, (month_ago, month_ago))
    format_files({"pkg/m.py": MODULE}, cache=FormatCache(tmp_path, "new"))
    assert sorted(p.name for p in (tmp_path / "format").iterdir()) == ["new.marshal", "recent.marshal"]


def test_default_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CLIENTGEN_CACHE_DIR", str(tmp_path / "c"))
    assert fmt.default_cache_folder() == tmp_path / "c"
    monkeypatch.delenv("CLIENTGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert fmt.default_cache_folder() == tmp_path / "x" / "clientgen"


# -- layout: whatever it writes, black keeps ------------------------------------------------------------------

_NAME = st.from_regex(r"[a-z_][a-z0-9_]{0,30}", fullmatch=True).filter(lambda name: not keyword.iskeyword(name))
_ATOM = st.one_of(_NAME, _NAME.map(lambda n: f'"{n}"'), st.integers(0, 10**12).map(str))


def _groups(children: st.SearchStrategy[layout.Node]) -> st.SearchStrategy[layout.Node]:
    values = st.lists(children, min_size=1, max_size=6)
    arguments = st.lists(st.one_of(children, st.builds(layout.keyword, _NAME, children)), min_size=1, max_size=6).map(
        tuple
    )
    return st.one_of(
        st.builds(lambda head, args: layout.Group(head, args), _NAME, arguments),
        st.builds(lambda items: layout.tuple_of(items), values),
        st.builds(lambda items: layout.Group("", tuple(items), brackets="[]", literal=True), values),
        st.builds(
            lambda pairs: layout.mapping([(f'"{k}"', v) for k, v in pairs]),
            st.lists(st.tuples(_NAME, children), min_size=1, max_size=5),
        ),
    )


_NODES = st.recursive(_ATOM, _groups, max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(node=_NODES, depth=st.integers(0, 2), target=_NAME)
def test_layout_is_black_stable(node: layout.Node, depth: int, target: str) -> None:
    """A statement laid out at any depth is exactly what black makes of it."""
    laid = layout.lay(layout.call(f"{target} = g", node), 4 * depth)
    blocks = ["def _():\n", "    if x:\n"][:depth]
    source = "".join(blocks) + " " * (4 * depth) + laid + "\n"
    assert black.format_str(source, mode=MODE) == source


@settings(max_examples=300, deadline=None)
@given(
    head=_NAME,
    arguments=st.lists(_NODES, min_size=1, max_size=6),
    prefix=st.sampled_from(["async ", "await ", "return await ", ""]),
    indent=st.sampled_from([0, 4, 8, 40]),
)
def test_a_group_reheaded_is_the_group_laid_out_with_the_new_head(
    head: str, arguments: list[layout.Node], prefix: str, indent: int
) -> None:
    """An async method's signature and call are its sync twin's with a longer head (`reheaded`): the same as laying
    them out again, or None (laid out again) only when the twin was on one line and the longer one does not fit."""
    group = layout.Group(head, tuple(arguments))
    laid = layout.lay(group, indent)
    derived = layout.reheaded(laid, head + "(", prefix + head + "(", indent)
    expected = layout.lay(group.renamed(prefix + head), indent)
    if derived is None:
        assert "\n" not in laid and "\n" in expected
    else:
        assert derived == expected
    assert layout.reheaded(laid, head + "(", head[1:] + "(", indent) is None  # a shorter head: laid out again


_ALTERNATIVE = st.one_of(
    _NAME.map(lambda n: "T" + n.title()),
    st.builds(lambda n, m: f"typing.Sequence[T{n.title()} | T{m.title()}]", _NAME, _NAME),
    st.lists(_NAME, min_size=1, max_size=4).map(lambda ns: "typing.Literal[" + ", ".join(f'"{n}"' for n in ns) + "]"),
)


@settings(max_examples=300, deadline=None)
@given(
    name=_NAME,
    alternatives=st.lists(_ALTERNATIVE, min_size=1, max_size=6),
    default=st.sampled_from(["", "None", "NOT_GIVEN"]),
    where=st.sampled_from(["parameter", "attribute", "alias"]),
)
def test_layout_of_unions_is_black_stable(name: str, alternatives: list[str], default: str, where: str) -> None:
    """A long union, as a parameter, a class attribute or a type alias, is laid out as black lays it out: in
    parentheses, on one line or one alternative per line; what the layout leaves flat, black changes (a cost in
    time, never in the result), so the test asks only that black agrees wherever the layout split the union."""
    annotation = " | ".join(alternatives)
    if where == "parameter":
        laid = layout.lay(layout.Group("def f", ("self", "*", layout.annotated(name, annotation, default)), ":"), 4)
        source = f"class C:\n    {laid}\n        pass\n"
    elif where == "attribute":
        source = f"class C:\n    {layout.lay(layout.annotated(name, annotation, default, statement=True), 4)}\n"
    else:
        source = layout.lay(layout.alias("T" + name.title(), annotation)) + "\n"
    if "(\n" in source.replace("def f(\n", ""):  # the layout split the union
        assert black.format_str(source, mode=MODE) == source
    assert layout.alternatives(annotation) == tuple(alternatives)


def test_layout_of_a_long_union_parameter() -> None:
    # Upvest's sort argument: 104 columns flat, so the union goes between parentheses on a line of its own
    annotation = 'typing.Literal["created_at", "updated_at", "title", "url", "enabled"] | NotGiven'
    laid = layout.lay(layout.annotated("sort", annotation, "NOT_GIVEN"), 8)
    assert laid == f"sort: (\n{' ' * 12}{annotation}\n{' ' * 8}) = NOT_GIVEN"
    long = " | ".join(f"AlternativeNumber{i}WithAVeryLongName" for i in range(4))
    laid = layout.lay(layout.annotated("body", long, "NOT_GIVEN"), 8)
    assert laid.splitlines()[1:] == [
        " " * 12 + "AlternativeNumber0WithAVeryLongName",
        *(" " * 12 + f"| AlternativeNumber{i}WithAVeryLongName" for i in range(1, 4)),
        " " * 8 + ") = NOT_GIVEN",
    ]
    assert layout.alternatives('typing.Literal["a | b", \'c"|\'] | X[Y | Z]') == (
        'typing.Literal["a | b", \'c"|\']',
        "X[Y | Z]",
    )


@pytest.mark.parametrize("length", [20, 50, 58, 59, 60, 66, 67, 70, 74, 75, 76, 80, 83, 84, 85, 90])
def test_wrapper_assignments_are_laid_out_as_black_does(length: int) -> None:
    from generator.render import raw_wrapper_line

    name = "n" * length
    line = raw_wrapper_line(f"self.{name}", "_response.async_to_streamed_response_wrapper", f"resource.{name}")
    source = f"class C:\n    def __init__(self, resource: R) -> None:\n        {line}\n"
    assert black.format_str(source, mode=MODE) == source


def test_layout_examples() -> None:
    short = layout.call("f", "a", "b")
    assert layout.lay(short) == "f(a, b)"
    long_args = [f"argument_number_{i}" for i in range(4)]
    three_lines = layout.lay(layout.call("return self._client.request", *long_args), 8)
    assert three_lines.count("\n") == 2 and not three_lines.splitlines()[1].endswith(",")
    exploded = layout.lay(layout.call("f", *[f"argument_number_{i}" for i in range(12)]))
    assert exploded.splitlines()[1] == "    argument_number_0," and exploded.endswith("\n)")
    assert layout.flat(layout.tuple_of(['"a"'])) == '("a",)'
    assert layout.lay(layout.mapping([('"k"', "v")])) == '{"k": v}'


def test_small_specs_format_on_two_cores_at_most(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLIENTGEN_JOBS", raising=False)
    small, big = tmp_path / "small.yaml", tmp_path / "big.json"
    small.write_text("x" * 10)
    big.write_text("x" * fmt.SMALL_SPEC_BYTES)
    cores = fmt.default_jobs()
    assert cores >= 1
    assert fmt.default_jobs(small) == min(2, cores)
    assert fmt.default_jobs(big) == cores
    assert fmt.default_jobs(tmp_path / "missing.yaml") == cores
    monkeypatch.setattr(fmt.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3, 4, 5})
    assert fmt.default_jobs(small) == 2 and fmt.default_jobs(big) == 6
    monkeypatch.setattr(fmt.os, "sched_getaffinity", lambda pid: {0})
    assert fmt.default_jobs(small) == 1
    monkeypatch.setenv("CLIENTGEN_JOBS", "3")
    assert fmt.default_jobs(small) == 3


def test_black_version_in_cache_keys_is_the_installed_one() -> None:
    # read from black's dist-info folder name, without importing importlib.metadata; the two must agree
    import importlib.metadata

    assert fmt._black_version() == importlib.metadata.version("black")


def test_files_split_at_their_marks_and_a_stray_nul_is_a_bug_of_ours() -> None:
    text = f"import x\n{CUT}def f() -> None:\n    pass\n{MEMBER}    def g(self) -> None:\n        pass\n"
    assert fmt._split(text) == [
        ("cut", "import x\n"),
        ("cut", "def f() -> None:\n    pass\n"),
        ("member", "    def g(self) -> None:\n        pass\n"),
    ]
    with pytest.raises(FormatError, match="NUL"):
        fmt._split("x = 1\n\x00oops\n")


def test_the_cache_key_follows_every_setting_of_the_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """MODE_SETTINGS makes both the mode black formats with and the cache keys: a setting changed there changes
    both, so a cached piece is never taken for a mode it was not formatted in."""
    from generator import format as formatting

    before = formatting.FormatCache.key("py", "x = 1\n")
    changes = {
        "target_versions": "PY311",
        "line_length": 80,
        "string_normalization": False,
        "magic_trailing_comma": False,
    }
    assert changes.keys() == formatting.MODE_SETTINGS.keys()
    for name, value in changes.items():
        with monkeypatch.context() as patch:
            patch.setitem(formatting.MODE_SETTINGS, name, value)
            formatting.mode.cache_clear()
            formatting._mode_key.cache_clear()
            try:
                assert formatting.FormatCache.key("py", "x = 1\n") != before, name
                made = formatting.mode()
                shown = {t.name for t in made.target_versions} if name == "target_versions" else getattr(made, name)
                assert shown == ({value} if name == "target_versions" else value), name
            finally:
                formatting.mode.cache_clear()
                formatting._mode_key.cache_clear()
    assert formatting.FormatCache.key("py", "x = 1\n") == before


# -- async twins: derived from their sync twins when black leaves those as they are ----------------------------

TWINS = (
    "import typing\n"
    + CUT
    + "class Things:\n    def __init__(self, client: _base.SyncAPIClient) -> None:\n        self._client = client\n"
    + MEMBER
    + "    def get(self, *, thing_id: str) -> Thing:\n        return self._client.request(_GET, path={'id': thing_id})\n"
    + MEMBER
    + "    def pages(self) -> SyncPage[Thing]:\n        return SyncPage[Thing](self._client, _LIST)\n"
    + CUT
    + "class AsyncThings:\n    def __init__(self, client: _base.AsyncAPIClient) -> None:\n        self._client = client\n"
    + MEMBER
    + "    async def get(self, *, thing_id: str) -> Thing:\n"
    "        return await self._client.request(_GET, path={'id': thing_id})\n"
    + MEMBER
    + "    def pages(self) -> AsyncPaginator[Thing]:\n        return AsyncPaginator[Thing](self._client, _LIST)\n"
)


def _blacked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pieces black is asked to format from now on (in this process)."""
    seen: list[str] = []
    original = fmt._format_piece

    def recording(kind: str, text: str, path: str) -> str:
        seen.append(text)
        return original(kind, text, path)

    monkeypatch.setattr(fmt, "_format_piece", recording)
    return seen


def test_async_twins_of_pieces_black_leaves_alone_are_not_formatted(monkeypatch: pytest.MonkeyPatch) -> None:
    text = TWINS.replace("{'id': thing_id}", '{"id": thing_id}')  # nothing for black to change in the sync twins
    seen = _blacked(monkeypatch)
    out = format_files({"pkg/things.py": text})["pkg/things.py"]
    assert out == whole(text)
    assert not [piece for piece in seen if "async def" in piece or "Async" in piece]
    assert any("def get" in piece for piece in seen)
    # verify=True formats them with black too, and agrees
    assert format_files({"pkg/things.py": text}, verify=True)["pkg/things.py"] == out


def test_async_twins_go_to_black_when_black_changes_the_sync_twin(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _blacked(monkeypatch)
    out = format_files({"pkg/things.py": TWINS})["pkg/things.py"]  # single quotes: black changes both
    assert out == whole(TWINS)
    assert any("async def get" in piece for piece in seen)


def test_async_twins_go_to_black_when_a_line_grows_too_long(monkeypatch: pytest.MonkeyPatch) -> None:
    # 100 columns in the sync twin; `async ` makes it 106: black must split the async signature
    name = "x" * (100 - len("    def (self, *, thing_id: str) -> Thing:"))
    text = TWINS.replace("{'id': thing_id}", '{"id": thing_id}').replace("def get(", f"def {name}(")
    assert max(len(line) for line in text.splitlines()) == 106
    seen = _blacked(monkeypatch)
    out = format_files({"pkg/things.py": text})["pkg/things.py"]
    assert out == whole(text)
    assert any(f"async def {name}" in piece for piece in seen)
    assert f"    async def {name}(\n" in out


def test_a_piece_whose_words_only_look_async_has_no_twin() -> None:
    assert fmt.twin_of("x = 1\n") is None
    assert fmt.twin_of("class AsyncThings:\n    pass\n") == "class Things:\n    pass\n"
    assert fmt.twin_of("async def f(self) -> AsyncPaginator[X]:\n    return await g()\n") == (
        "def f(self) -> SyncPage[X]:\n    return g()\n"
    )
    # a model named AsyncJob in a sync piece: its "twin" (Job) is no piece of the file, so it is formatted
    text = "import typing\n" + CUT + "def get() -> AsyncJob:\n    return AsyncJob()\n"
    assert format_files({"pkg/m.py": text})["pkg/m.py"] == whole(text)


def test_verify_catches_a_derivation_black_disagrees_with(monkeypatch: pytest.MonkeyPatch) -> None:
    text = TWINS.replace("{'id': thing_id}", '{"id": thing_id}')
    monkeypatch.setattr(fmt, "_fits", lambda text, twin: True)  # a broken length check lets a long line through
    name = "x" * (100 - len("    def (self, *, thing_id: str) -> Thing:"))
    with pytest.raises(FormatError, match="not what black makes of them"):
        format_files({"pkg/things.py": text.replace("def get(", f"def {name}(")}, verify=True)
