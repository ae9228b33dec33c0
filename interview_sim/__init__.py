"""interview-sim: a terminal mock-interview simulator for LLM / ML interviews."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    # importlib.metadata is slow to import; only --version and saved transcripts need it
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("interview-sim")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0+source"
    raise AttributeError(name)
