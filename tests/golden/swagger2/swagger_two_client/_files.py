# The runtime clientgen copies, unchanged, into every client it generates. Do not edit.
"""Files to upload: what a file argument accepts (`FileTypes`), and how it is read, a chunk at a time.

A file argument takes bytes, a binary file object, a path, or a tuple `(filename, content)` or
`(filename, content, content_type)` whose content is any of those. The filename comes from the path or the file
object's name when the tuple does not give one; the content type from the tuple, else the spec's encoding, else
the filename's extension. Paths and file objects are streamed: a retry reads them again from where the call
began (a multipart part from the start of the file: httpx rewinds parts itself). A stream that cannot seek back
is sent once: the call is not retried.
"""

from __future__ import annotations

import io
import mimetypes
import os
from typing import IO, Any, AsyncIterator, Iterator, Optional, Tuple, Union

__all__ = ["FileContent", "FileTypes", "Upload", "is_file"]

FileContent = Union[bytes, IO[bytes], "os.PathLike[str]"]
FileTypes = Union[
    FileContent,
    Tuple[Optional[str], FileContent],
    Tuple[Optional[str], FileContent, Optional[str]],
]

_CHUNK = 64 * 1024


def _is_content(value: Any) -> bool:
    return isinstance(value, (bytes, bytearray, memoryview, os.PathLike)) or callable(
        getattr(value, "read", None)
    )


def is_file(value: Any) -> bool:
    """Whether `value` is one of the `FileTypes`."""
    if isinstance(value, tuple):
        return 2 <= len(value) <= 3 and _is_content(value[1])
    return _is_content(value)


class _PathReader(io.RawIOBase):
    """A file on disk, opened when first read and closed once read to the end (httpx reads a part, or a body,
    to its end; a retry seeks back to the start and opens it again)."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self._path = path
        self._file: IO[bytes] | None = None
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        size = os.path.getsize(self._path)
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: size}[whence]
        self._position = max(0, base + offset)
        if self._file is not None:
            self._file.seek(self._position)
        return self._position

    def read(self, size: int | None = -1) -> bytes:
        if self._file is None:
            self._file = open(self._path, "rb")  # noqa: SIM115 - closed at the end of the file
            self._file.seek(self._position)
        data = self._file.read(-1 if size is None else size)
        self._position += len(data)
        if not data or size is None or size < 0:
            self._file.close()
            self._file = None
        return data

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        super().close()


class Upload:
    """One file of a call: its name, content type and a way to read it, again for each attempt."""

    __slots__ = ("filename", "content_type", "_content", "_start")

    def __init__(self, value: Any, content_type: str | None = None) -> None:
        filename: str | None = None
        given_type: str | None = None
        if isinstance(value, tuple):
            filename, value, *rest = value
            given_type = rest[0] if rest else None
        if isinstance(value, os.PathLike):
            path = os.fspath(value)
            filename = filename or os.path.basename(str(path))
            value = _PathReader(str(path))
        elif not isinstance(value, (bytes, bytearray, memoryview)):
            name = getattr(value, "name", None)
            filename = filename or (os.path.basename(name) if isinstance(name, str) else None)
        self.filename = filename or "upload"
        guessed = mimetypes.guess_type(self.filename)[0] if filename else None
        declared = content_type if content_type and "*" not in content_type else None
        self.content_type = given_type or declared or guessed or "application/octet-stream"
        self._content: Any = bytes(value) if isinstance(value, (bytearray, memoryview)) else value
        self._start = 0 if isinstance(self._content, bytes) else _position(self._content)

    @property
    def rewindable(self) -> bool:
        """Whether the content can be read again from where it began (for a retry)."""
        if isinstance(self._content, bytes) or isinstance(self._content, _PathReader):
            return True
        try:
            return bool(self._content.seekable())
        except (AttributeError, OSError, ValueError):
            return False

    def part(self) -> tuple[str, Any, str]:
        """The (filename, content, content type) of a multipart part; httpx reads the content in chunks."""
        return (self.filename, self._rewound(), self.content_type)

    @property
    def length(self) -> int | None:
        if isinstance(self._content, bytes):
            return len(self._content)
        try:
            end = self._content.seek(0, os.SEEK_END)
            self._content.seek(self._start)
            return int(end) - self._start
        except (AttributeError, OSError, ValueError):
            return None

    def _rewound(self) -> Any:
        if not isinstance(self._content, bytes):
            try:
                self._content.seek(self._start)
            except (AttributeError, OSError, ValueError):
                pass  # a stream that cannot go back: read once, from where it is
        return self._content

    def read(self) -> bytes:
        """The whole content (for a request that must be signed: the signature covers its digest)."""
        content = self._rewound()
        return content if isinstance(content, bytes) else b"".join(self.chunks())

    def chunks(self) -> Iterator[bytes]:
        """The content from its start, a chunk at a time."""
        content = self._rewound()
        if isinstance(content, bytes):
            yield content
            return
        while True:
            chunk = content.read(_CHUNK)
            if not chunk:
                return
            yield chunk

    async def achunks(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks():
            yield chunk


def _position(content: Any) -> int:
    try:
        return int(content.tell())
    except (AttributeError, OSError, ValueError):
        return 0
