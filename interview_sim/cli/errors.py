"""What every subcommand may raise or return: CliError and the exit codes."""

from __future__ import annotations

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # what a shell reports for a command ended by ctrl+c (SIGINT)
EXIT_PIPE_CLOSED = 128 + 13  # what a shell reports for a command ended by SIGPIPE


class CliError(Exception):
    """A user-facing error: printed as one line, exit code attached."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code
