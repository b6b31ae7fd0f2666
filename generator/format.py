"""Formatting: black, in-process, with one fixed mode so output is the same on every machine.

Black is most of a run's time, so it is fed small pieces, and each piece at most once:

- The templates mark where a file may be cut (`CUT` between top-level statements, `MEMBER` between the methods of
  a class). Each piece is formatted on its own and the pieces are joined with the blank lines black puts between
  such statements, so the file is exactly what black makes of the whole (tests check this on every golden file).
- A content-addressed cache keeps each piece's formatted text, keyed by the piece, black's version and the mode:
  a regenerate after a small spec change formats only the pieces that changed. It is one file per output folder.
- Pieces not in the cache are formatted by this process and worker processes forked at the start: one worker
  for a spec under 2 MB, one per further core for bigger ones. A few pieces (a regeneration) go to a worker
  alone, which imported black while this process built.
- An async piece whose sync twin is in the same file (an async method beside its sync method, an async class
  beside its sync class) is not formatted when black leaves the twin as it is: the two differ only by words
  within lines (`async def` for `def`, `await`, `AsyncX` for `X`), each line as long or longer, so when every
  line of the async piece still fits, black leaves it as it is too (`twin_of`). This halves black's work on
  resource modules; `format_files(verify=True)` checks it against black (the corpus tests run it).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import importlib.util
import marshal
import os
import re
import tempfile
import time
import unicodedata
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

if TYPE_CHECKING:
    import concurrent.futures

    import black


#: black's settings for generated code; all of them go into the cache keys
LINE_LENGTH = 100
TARGET_VERSION = "PY310"
#: black.Mode's arguments for generated code (the target version by name): the one source of the mode and of the
#: cache keys, which must be known before black is imported (a run whose pieces are all cached never imports it).
#: Constant for a run: both are worked out once. LINE_LENGTH also lays out statements (generator.layout).
MODE_SETTINGS: dict[str, Any] = {
    "target_versions": TARGET_VERSION,
    "line_length": LINE_LENGTH,
    "string_normalization": True,
    "magic_trailing_comma": True,
}


@functools.cache
def mode() -> black.Mode:
    """The one black mode of generated code. black is imported on first use: a run whose pieces are all in the
    cache never needs it."""
    import black
    from black.mode import TargetVersion

    return black.Mode(**{**MODE_SETTINGS, "target_versions": {TargetVersion[MODE_SETTINGS["target_versions"]]}})


def __getattr__(name: str) -> Any:
    if name == "MODE":  # `from generator.format import MODE`, for tests and tools
        return mode()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _black_version() -> str:
    """black's version, from the name of its dist-info folder: importlib.metadata is slow to import for every run."""
    spec = importlib.util.find_spec("black")  # found, not imported
    if spec is not None and spec.submodule_search_locations:
        folder = Path(list(spec.submodule_search_locations)[0]).parent
        infos = list(folder.glob("black-*.dist-info"))
        if len(infos) == 1:
            return infos[0].name[len("black-") : -len(".dist-info")]
    from importlib import metadata

    return metadata.version("black")


_BLACK_VERSION = _black_version()


#: the mode, as cache keys name it (without importing black to make it)
@functools.cache
def _mode_key() -> str:
    return ",".join(f"{name}={value}" for name, value in sorted(MODE_SETTINGS.items()))


#: the template marks: a line of its own, made of characters no escaped spec text can contain
CUT = "\x00cut\n"
MEMBER = "\x00member\n"
#: the marks as a pattern, for whoever needs to strip them (files are split at them with str.split)
_MARK = re.compile(r"^\x00(cut|member)\n", re.MULTILINE)
_WRAPPER = "class _:\n"
_DEFINITION = re.compile(r"(?:async\s+def|def|class)\s|@")

#: the age at which a cache file no run has replaced is removed
STALE_AFTER = 30 * 24 * 3600

#: below this much text to format, worker processes cost more than they save
PARALLEL_THRESHOLD = 200_000
#: the text one worker task carries at most (an eighth of each process's share, when that is less): big enough
#: to make the round trip cheap, small enough to balance the cores
BATCH_SIZE = 100_000
MIN_BATCH_SIZE = 5_000


#: a piece to format: (kind, text, path); keyed by its cache key, and batched for the workers
_Work = tuple[str, str, str]
_Keyed = list[tuple[str, _Work]]
#: batches sent to workers, each with its future (None: the pool was broken when it was to be sent)
_Sent = list[tuple[_Keyed, "concurrent.futures.Future[list[str] | FormatError] | None"]]


class FormatError(Exception):
    """Generated code black cannot parse: a bug in clientgen's templates, never the spec's fault."""


class FormatCache:
    """Formatted pieces by the hash of what went in, kept in one file per project between runs.

    The file (`<folder>/format/<name>.marshal`) holds what the last runs used: it is read whole at the start and
    replaced whole (atomically) at the end, so a run never sees half an entry, and two runs at once cost each other
    cache entries, never correctness. Best effort: a folder that cannot be read or written is no cache.
    """

    def __init__(self, folder: Path, name: str = "default") -> None:
        self.folder = folder
        self.path = folder / "format" / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.marshal"
        self.hits = 0
        self._old: dict[str, str] = {}
        self._used: dict[str, str] = {}
        self._loaded = False

    @staticmethod
    def key(kind: str, text: str) -> str:
        identity = f"{_BLACK_VERSION}\x00{_mode_key()}\x00{kind}\x00{text}"
        return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()

    def _load(self) -> None:
        self._loaded = True
        try:
            entries = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return
        if isinstance(entries, dict):
            self._old = {k: v for k, v in entries.items() if isinstance(k, str) and isinstance(v, str)}

    def get(self, key: str, *, counted: bool = True) -> str | None:
        """The text kept under `key`; `counted`: a formatted piece, counted in `hits` (not a rendered module)."""
        if not self._loaded:
            self._load()
        text = self._used.get(key) or self._old.get(key)
        if text is not None:
            self.hits += counted
            self._used[key] = text
        return text

    def put(self, key: str, text: str) -> None:
        self._used[key] = text

    def save(self) -> None:
        """Keep what this run used, and as much of the rest as it used again (a small spec goes back and forth)."""
        budget = sum(len(text) for text in self._used.values())
        entries = dict(self._used)
        for key, text in self._old.items():
            if budget <= 0:
                break
            if key not in entries:
                entries[key] = text
                budget -= len(text)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps(entries))
            os.replace(temporary, self.path)
        except OSError:
            return
        self._prune()

    def _prune(self) -> None:
        """Forget the caches of output folders not generated for a month."""
        cutoff = time.time() - STALE_AFTER
        try:
            for entry in os.scandir(self.path.parent):
                if entry.name.endswith(".marshal") and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
        except OSError:
            pass


def default_cache_folder() -> Path:
    """CLIENTGEN_CACHE_DIR, else $XDG_CACHE_HOME/clientgen, else ~/.cache/clientgen."""
    explicit = os.environ.get("CLIENTGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "clientgen"


#: specs smaller than this are formatted on two cores at most: more workers, each holding black, would cost more
#: memory than the little time they save on so few pieces
SMALL_SPEC_BYTES = 2_000_000


def default_jobs(spec: Path | None = None) -> int:
    """Processes for formatting: CLIENTGEN_JOBS, else the cores this process may use, but two at most for a small
    spec (the second imports black while this one builds, then takes half the pieces, or all of a few)."""
    explicit = os.environ.get("CLIENTGEN_JOBS", "")
    if explicit.isdigit() and int(explicit) > 0:
        return int(explicit)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    try:
        if spec is not None and spec.stat().st_size < SMALL_SPEC_BYTES:
            return min(cores, 2)
    except OSError:
        pass
    return cores


def format_files(
    files: dict[str, str],
    *,
    cache: FormatCache | None = None,
    jobs: int = 1,
    workers: Workers | None = None,
    progress: Callable[[int, int], None] | None = None,
    verify: bool = False,
) -> dict[str, str]:
    """Black-format every Python file (other files pass through), piece by piece; on `jobs` cores, with the
    `workers` given (forked early) or forked now.

    `progress` (in this process) is told (done, total) of the pieces the cache lacks: (0, total) first, then as
    they are formatted. `verify` formats the async pieces derived from their sync twins with black as well, and
    raises FormatError where the two differ (for tests: it costs the time the derivation saves).
    """
    pieces: dict[str, list[tuple[str, str]]] = {}  # path -> [(kind, cache key)]
    todo: dict[str, _Work] = {}  # key -> (kind, text, path)
    done: dict[str, str] = {}
    twins: dict[str, tuple[_Work, str, str]] = {}  # key -> (its work, its twin's key, its twin's text)
    for path, text in files.items():
        if not path.endswith(".py"):
            continue
        split = _split(text)
        keyed = [(kind, piece, FormatCache.key(kind, piece)) for kind, piece in split]
        here = {(kind, piece): key for kind, piece, key in keyed}
        keys = pieces[path] = []
        for kind, piece, key in keyed:
            keys.append((kind, key))
            if key in done or key in todo or key in twins:
                continue
            cached = cache.get(key) if cache is not None else None
            if cached is not None:
                done[key] = cached
                continue
            twin = twin_of(piece)
            twin_key = here.get((kind, twin)) if twin is not None else None
            if twin is not None and twin_key is not None and twin_key != key:
                twins[key] = ((kind, piece, path), twin_key, twin)
            else:
                todo[key] = (kind, piece, path)
    for key in [key for key, (_, twin_key, _) in twins.items() if twin_key in twins]:
        todo[key] = twins.pop(key)[0]  # a twin that is itself derived is not formatted: format this one
    if progress is not None:
        progress(0, len(todo))
    formatted = _format_all(list(todo.items()), jobs, workers, progress)
    done.update(formatted)
    derived, undecided = _derive(twins, done)
    if verify:
        _verify(derived, twins, jobs, workers)
    formatted.update(derived)
    formatted.update(_format_all(undecided, jobs, workers))
    done.update(formatted)
    if cache is not None:
        for key, text in formatted.items():
            cache.put(key, text)
        cache.save()
    return {
        path: _join([(kind, done[key]) for kind, key in pieces[path]]) if path in pieces else text
        for path, text in files.items()
    }


#: the words by which an async piece differs from its sync twin, and the twin's words (None: the word goes)
_SYNC_WORDS = {"async def": "def", "AsyncAPIClient": "SyncAPIClient", "AsyncPaginator": "SyncPage"}
_ASYNC_WORD = re.compile(
    r"\basync def\b|\bawait |\bAsyncAPIClient\b|\bAsyncPaginator\b|\basync_(?=to_)|\bAsync(?=[A-Z])"
)


def twin_of(piece: str) -> str | None:
    """The sync twin's text of an async piece (None for a piece with no async words): each async word replaced
    by its sync word. A piece whose twin is in the same file is derived from it (`_derive`)."""
    if "sync" not in piece and "await" not in piece:
        return None
    twin = _ASYNC_WORD.sub(lambda match: _SYNC_WORDS.get(match.group(), ""), piece)
    return twin if twin != piece else None


def _unchanged(text: str) -> str:
    """A piece as black gives it back when it has nothing to change: without leading blank lines, one newline
    at the end."""
    return text.lstrip("\n").rstrip() + "\n"


def _fits(text: str, twin: str) -> bool:
    """Whether every line of `text` that differs from its twin's fits in LINE_LENGTH columns, counted as black
    counts them (wide characters take two). Lines the twins share are left alone by black in both, as in the
    twin (docstring lines are often longer)."""
    for line, twin_line in zip(text.splitlines(), twin.splitlines()):
        if line == twin_line:
            continue
        if line.isascii():
            if len(line) > LINE_LENGTH:
                return False
        elif sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line) > LINE_LENGTH:
            return False
    return True


def _derive(twins: dict[str, tuple[_Work, str, str]], done: dict[str, str]) -> tuple[dict[str, str], _Keyed]:
    """The async pieces black would leave as they are (their twin was left as it was, and every line fits), and
    the others, to format."""
    derived: dict[str, str] = {}
    undecided: _Keyed = []
    for key, (work, twin_key, twin) in twins.items():
        text = _unchanged(work[1])
        if done[twin_key] == _unchanged(twin) and _fits(text, twin):
            derived[key] = text
        else:
            undecided.append((key, work))
    return derived, undecided


def _verify(
    derived: dict[str, str], twins: dict[str, tuple[_Work, str, str]], jobs: int, workers: Workers | None
) -> None:
    blacked = _format_all([(key, twins[key][0]) for key in derived], jobs, workers)
    wrong = [twins[key][0] for key in derived if blacked[key] != derived[key]]
    if wrong:
        _, text, path = wrong[0]
        raise FormatError(
            f"{len(wrong)} async pieces derived from their twins are not what black makes of them; "
            f"the first, in {path}:\n{text}"
        )


def _split(text: str) -> list[tuple[str, str]]:
    """A file's pieces: ("cut", top-level statements) and ("member", methods indented inside a class)."""
    first, *marked = text.split("\x00")  # a plain split: five times faster than the regular expression
    pieces = [("cut", first)]
    for part in marked:
        kind, newline, piece = part.partition("\n")
        if kind not in ("cut", "member") or not newline:
            raise FormatError(f"a NUL character that is not a template mark: {part[:40]!r}")
        pieces.append((kind, piece))
    return [(kind, piece) for kind, piece in pieces if piece.strip()]


def _join(pieces: list[tuple[str, str]]) -> str:
    """Formatted pieces with the blank lines black puts between them: two around top-level definitions, one
    between other top-level statements and between methods."""
    out: list[str] = []
    after_definition = False
    for kind, text in pieces:
        if out:
            if kind == "member":
                out.append("\n")
            else:
                definition = bool(_DEFINITION.match(text))
                out.append("\n\n" if definition or after_definition else "\n")
        if kind == "cut":
            after_definition = bool(_DEFINITION.match(text))
        out.append(text)
    return "".join(out)


def _format_piece(kind: str, text: str, path: str) -> str:
    source = _WRAPPER + text if kind == "member" else text
    import black

    try:
        result = black.format_str(source, mode=mode())
    except black.parsing.InvalidInput as exc:
        raise FormatError(f"clientgen produced invalid Python in {path}: {exc}") from None
    if kind == "member":
        result = result[len(_WRAPPER) :].lstrip("\n")
    return result


def _format_batch(batch: list[_Work]) -> list[str] | FormatError:
    try:
        return [_format_piece(kind, text, path) for kind, text, path in batch]
    except FormatError as exc:  # returned, not raised: the message survives the trip between processes
        return exc


def _ready() -> None:
    """A worker's first task: import black while the parent builds, so a few pieces to format cost no wait."""
    mode()


class Workers:
    """Formatting worker processes, forked early, while this process is still small.

    Forked after the spec is loaded, each worker would carry a copy of everything the parent holds by then (its
    pages are shared until touched, but counted in each process's resident memory). Forked at the start they
    hold black and little else. The parent formats its share too, so `jobs` cores take `jobs - 1` workers.
    """

    def __init__(self, jobs: int) -> None:
        self.count = max(0, jobs - 1)
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None
        if not self.count:
            return
        import concurrent.futures  # here: a run in one process does without them
        import multiprocessing

        if "fork" not in multiprocessing.get_all_start_methods():
            self.count = 0
            return
        context = multiprocessing.get_context("fork")
        try:
            self.pool = concurrent.futures.ProcessPoolExecutor(max_workers=self.count, mp_context=context)
            for _ in range(self.count):  # the pool forks on demand: ask now, and have black imported meanwhile
                self.pool.submit(_ready)
        except (OSError, ImportError, NotImplementedError):  # no semaphores (/dev/shm), no fork: format here
            # workers forked before a later fork failed wait for tasks that never come, and would keep this
            # process from exiting: no manager thread runs yet to tell them to stop
            forked = list(getattr(self.pool, "_processes", {}).values())
            for process in forked:
                process.kill()
            for process in forked:
                process.join()
            self.close()
            self.count = 0

    def close(self) -> None:
        if self.pool is not None:
            pool, self.pool = self.pool, None
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def _collecting() -> Iterator[None]:
    """The cycle collector on while black runs here (it makes cyclic garbage), also when the caller paused it.

    One collection first frees what the caller left while it paused the collector (it raises the peak otherwise);
    what survives it (the spec, the model, the rendered text) is frozen, so the collections black causes do not
    walk it again and again. A regeneration leaves its few pieces to a worker and pays for neither.
    """
    enabled = gc.isenabled()
    gc.collect()
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        gc.unfreeze()
        if not enabled:
            gc.disable()


def _format_all(
    todo: _Keyed,
    jobs: int,
    workers: Workers | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, str]:
    if not todo:
        return {}
    total = sum(len(text) for _, (_, text, _) in todo)
    if total < PARALLEL_THRESHOLD and workers is not None and workers.pool is not None:
        # a few pieces (a regeneration after a small change): to a worker, which has black imported already
        few: dict[str, str] = {}
        _gather([(todo, _submit(workers.pool, [work for _, work in todo]))], few, len(todo), progress)
        return few
    if total < PARALLEL_THRESHOLD or (workers is None and jobs <= 1) or (workers is not None and not workers.pool):
        done: dict[str, str] = {}
        with _collecting():
            for key, work in todo:
                done[key] = _format_piece(*work)
                if progress is not None:
                    progress(len(done), len(todo))
        return done
    if workers is None:
        with Workers(jobs) as own:
            return _format_all(todo, jobs, own, progress)
    assert workers.pool is not None
    # One queue of batches, biggest first, taken as each process comes free: up to two batches per worker are
    # sent at a time, and this process formats the next batch itself meanwhile. Shares fixed in advance by size
    # finished far apart: one piece can take many times the time of another of its size, and this process
    # starts late (it imports black first).
    batches = list(_batches(todo, min(BATCH_SIZE, max(MIN_BATCH_SIZE, total // (8 * (workers.count + 1))))))
    sent: _Sent = []
    formatted: dict[str, str] = {}
    taken = 0
    with _collecting():
        while taken < len(batches):
            waiting = sum(1 for _, future in sent if future is not None and not future.done())
            while taken < len(batches) and waiting < 2 * workers.count:
                batch = batches[taken]
                taken += 1
                future = _submit(workers.pool, [work for _, work in batch])
                sent.append((batch, future))
                waiting += future is not None
                if future is None:  # the pool is broken: what is left is formatted here, below
                    break
            if taken == len(batches):
                break
            for key, work in batches[taken]:
                formatted[key] = _format_piece(*work)
                if progress is not None:
                    progress(len(formatted), len(todo))
            taken += 1
    _gather(sent, formatted, len(todo), progress)
    return formatted


def _submit(
    pool: concurrent.futures.ProcessPoolExecutor, batch: list[_Work]
) -> concurrent.futures.Future[list[str] | FormatError] | None:
    """`batch` sent to a worker; None when the pool is broken (a worker died: killed, out of memory)."""
    from concurrent.futures import BrokenExecutor

    try:
        return pool.submit(_format_batch, batch)
    except BrokenExecutor:
        return None


def _gather(
    sent: _Sent,
    formatted: dict[str, str],
    total: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    """The batches sent to workers, formatted, into `formatted`. Those a worker could not format (it died, or the
    pool broke before they were sent) are formatted here, with the collector turned on once for all of them."""
    left: list[_Keyed] = []
    for batch, future in sent:
        result = _result(future)
        if result is None:
            left.append(batch)
            continue
        formatted.update((key, text) for (key, _), text in zip(batch, result))
        if progress is not None:
            progress(len(formatted), total)
    if left:
        with _collecting():
            for batch in left:
                for key, work in batch:
                    formatted[key] = _format_piece(*work)
                    if progress is not None:
                        progress(len(formatted), total)


def _result(future: concurrent.futures.Future[list[str] | FormatError] | None) -> list[str] | None:
    """What a worker made of its batch; None when the batch was never sent, or the worker died on it."""
    from concurrent.futures import BrokenExecutor

    if future is None:
        return None
    try:
        result = future.result()
    except BrokenExecutor:
        return None
    if isinstance(result, FormatError):
        raise result
    return result


def _batches(todo: _Keyed, limit: int) -> Iterable[_Keyed]:
    """Work in batches of about `limit` characters, biggest pieces first so the cores finish together."""
    batch: _Keyed = []
    size = 0
    for item in sorted(todo, key=lambda item: -len(item[1][1])):
        batch.append(item)
        size += len(item[1][1])
        if size >= limit:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
