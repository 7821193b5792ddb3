"""Zip packages (.docx, .odt, .qdpx) checked against their unpacked size before any is read.

A zip's directory states each member's unpacked size, and Python's zipfile never inflates past
it (a member that would is a CRC error), so checking the directory bounds the memory and time
any reader can spend. Pure: the callers (ingest, io) say which file it was.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable

from pipeline.core.config import DEFAULT_LIMITS, Limits

# Below this a member's ratio is not looked at: tiny XML parts compress very well.
_RATIO_FLOOR = 1024 * 1024


def check(
    package: zipfile.ZipFile,
    packed_size: int,
    limits: Limits = DEFAULT_LIMITS,
    wanted: Callable[[str], bool] | None = None,
) -> None:
    """Raise ``ValueError`` saying what is wrong when the package (its ``wanted`` members, if
    given) unpacks past ``limits``."""
    total = 0
    for info in package.infolist():
        if wanted is not None and not wanted(info.filename):
            continue
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > limits.max_zip_ratio:
            raise ValueError(
                f"its part {info.filename!r} unpacks to {info.file_size / 1e6:.0f} MB from "
                f"{info.compress_size / 1e3:.0f} KB ({ratio:.0f} to 1, past the limit of "
                f"{limits.max_zip_ratio:g} to 1): a zip bomb, not a document. If the file is "
                "genuine, raise --max-zip-ratio"
            )
    if total > limits.max_unzipped_mb * 1e6:
        raise ValueError(
            f"it unpacks to {total / 1e6:.0f} MB from {packed_size / 1e3:.0f} KB, past the "
            f"limit of {limits.max_unzipped_mb:g} MB. If the file is genuine, raise "
            "--max-unzipped-mb"
        )
