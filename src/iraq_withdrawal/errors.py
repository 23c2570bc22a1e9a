"""The package's errors: one base class that carries the command's exit code.

Library functions raise these; the command line (``cli/app.py``) catches the base
class once, prints ``Error: <message>`` and exits with :attr:`IraqWithdrawalError.exit_code`.
Problems *in the data* are never raised: they are findings in a report
(``findings.py``). These errors are for what stops a command before or instead of a
report: wrong arguments, missing releases, unwritable targets.

This module imports nothing from the package, so every layer may use it.
"""

from __future__ import annotations

from typing import Any

#: Exit codes shared by every command.
EXIT_OK = 0
EXIT_FINDINGS = 1  # the data has errors, or a write or download failed
EXIT_USAGE = 2  # the command cannot start: bad arguments, unknown version, nothing at the path


class IraqWithdrawalError(Exception):
    """Base class; ``exit_code`` says how the command line ends when this is raised."""

    exit_code = EXIT_FINDINGS


class UsageError(IraqWithdrawalError, ValueError):
    """The arguments or options are wrong, or name something that does not exist."""

    exit_code = EXIT_USAGE


class CannotStart(UsageError):
    """Validation cannot start: the path does not exist, is of no known kind, or the options are wrong."""


class UnknownSchemaVersion(UsageError, LookupError):
    """A release or file declares a schema version this package does not know."""


class DataNotAvailable(UsageError, LookupError):
    """The version or table is not shipped and cannot be downloaded."""


class InputError(UsageError):
    """An input a command compares or reads is malformed, too large, or points outside its folder: nothing to work on."""


class ReleaseError(UsageError):
    """A release cannot be made: bad or existing version."""


class SparkUnavailable(UsageError):
    """pyspark (or pandera's PySpark backend, or Java) is not installed."""


class BuildError(IraqWithdrawalError):
    """The output directory cannot be written, or may not be replaced, or the files written do not read back as built."""


class BuildRefused(IraqWithdrawalError):
    """The curated data has errors; nothing was written. ``report`` holds the findings."""

    def __init__(self, report: Any, message: str | None = None):
        super().__init__(message or f"{report.errors} error(s) in the curated data; nothing was written")
        self.report = report


class DownloadFailed(IraqWithdrawalError):
    """A release file could not be fetched or did not match its registered hash."""
