"""Errors a user can act on.

Every exception raised for bad input derives from :class:`InputError` and carries a message that
names the file and says how to fix it. The CLI prints the message alone (no traceback unless
``--debug``), and stages catch it per document so one bad file never stops a run.
"""

from __future__ import annotations


class InputError(Exception):
    """Bad input that the user can fix: the message names the file and the fix."""


class BoardFileError(InputError):
    """A malformed ``board.yaml``."""


class CodebookError(InputError):
    """A malformed codebook YAML file."""


class GoldFileError(InputError):
    """A gold (human-coded) file that cannot be used for validation."""


class ExtractionError(InputError):
    """A document whose text could not be extracted."""


class OutputError(InputError):
    """An output folder that cannot be written (read-only, full, or in use by another run)."""
