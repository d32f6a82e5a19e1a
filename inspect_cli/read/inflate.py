"""Decompressing a workbook part a chunk at a time, checked against the zip's sizes and
CRC, and inflated a chunk ahead on a thread for the scans that read it."""

from __future__ import annotations

import contextlib
import io
import queue
import threading
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from inspect_cli import problems as P
from inspect_cli.read.preflight import ZIP_MAGIC, open_member
from inspect_cli.read.raw import ReadFailure

CHUNK = 8 * 1024 * 1024
_OVERLAP = 512  # bytes carried into the next chunk, so a match cut in two is still seen


def _inflate(zf: zipfile.ZipFile, name: str, member: str) -> Iterator[bytes]:
    """A member's bytes, at most a chunk at a time, checked against the zip's sizes and CRC.

    Deflated members are inflated with ISA-L (python-isal), about three times as fast
    as zlib (docs/performance.md); anything else goes through :mod:`zipfile`.
    """
    info = zf.getinfo(member)
    data = zf.fp.getbuffer() if isinstance(zf.fp, io.BytesIO) else None
    if data is None or info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
        with open_member(zf, name, member) as fh:
            while chunk := fh.read(CHUNK):
                yield chunk
        return
    isal_zlib: Any = zlib  # a platform without isal's wheel: zlib has the same interface
    with contextlib.suppress(ImportError):
        from isal import isal_zlib

    corrupt = ReadFailure(P.CORRUPT.at(name, detail=f"corrupt workbook part {member}"))
    head = bytes(data[info.header_offset : info.header_offset + 30])
    if len(head) < 30 or not head.startswith(ZIP_MAGIC):
        raise corrupt
    name_len, extra_len = (
        int.from_bytes(head[26:28], "little"),
        int.from_bytes(head[28:30], "little"),
    )
    start = info.header_offset + 30 + name_len + extra_len
    packed = data[start : start + info.compress_size]
    inflater = isal_zlib.decompressobj(-15)
    size = crc = 0
    try:
        # 1 MB in at a time, at most a chunk out per call: the rest of a piece waits
        # inside the inflater, so a zip lying about its sizes is caught a chunk late.
        for at in range(0, len(packed), 1 << 20):
            pending: bytes | memoryview = packed[at : at + (1 << 20)]
            while True:
                out = inflater.decompress(pending, CHUNK)
                pending = inflater.unconsumed_tail
                size += len(out)
                if size > info.file_size:  # a zip that lies about its sizes
                    raise corrupt
                crc = isal_zlib.crc32(out, crc)
                if out:
                    yield out
                if not pending and len(out) < CHUNK:
                    break
        out = inflater.flush()
        size += len(out)
        crc = isal_zlib.crc32(out, crc)
        if out:
            yield out
    except ReadFailure:
        raise
    except Exception:  # isal's own error: the deflate stream is damaged
        raise corrupt from None
    if len(packed) != info.compress_size or size != info.file_size or crc != info.CRC:
        raise corrupt


def one_chunk(zf: zipfile.ZipFile, name: str, member: str) -> bytes:
    """A part of at most one chunk, inflated and checked, whole."""
    return b"".join(_inflate(zf, name, member))


def chunks(zf: zipfile.ZipFile, name: str, member: str) -> Iterator[bytes]:
    """A member's bytes in overlapping chunks, inflated one chunk ahead in a thread.

    Inflating releases the GIL, so the next chunk is inflated while numpy works on
    this one (numpy releases it too): the two cores share the pre-flight.
    """
    for _, buf in chunks_at(zf, name, member):
        yield buf


def chunks_at(zf: zipfile.ZipFile, name: str, member: str) -> Iterator[tuple[int, bytes]]:
    """:func:`chunks`, each with where it starts in the member.

    Each chunk starts with the last :data:`_OVERLAP` bytes of the one before (of all
    the bytes before, when the inflater handed over fewer), so a scan that reads a
    chunk up to a few bytes from its end misses nothing."""
    if zf.getinfo(member).file_size <= CHUNK:  # one chunk: a thread would only cost time
        yield 0, one_chunk(zf, name, member)
        return
    ahead: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def inflate() -> None:
        try:
            for chunk in _inflate(zf, name, member):
                if stop.is_set():
                    return
                ahead.put(chunk)
            ahead.put(None)
        except BaseException as exc:  # handed to the consumer, raised there
            ahead.put(exc)

    worker = threading.Thread(target=inflate, daemon=True)
    worker.start()
    tail, start = b"", 0
    try:
        while (item := ahead.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            buf = tail + item
            yield start, buf
            # From the chunk, not the item: an item shorter than the overlap (the
            # inflater's last piece of an input block) would leave bytes unread.
            tail = buf[-_OVERLAP:]
            start += len(buf) - len(tail)
    finally:
        stop.set()
        while worker.is_alive():  # unblock a worker waiting on a full queue
            with contextlib.suppress(queue.Empty):
                ahead.get_nowait()
            worker.join(0.01)
