"""PyYAML, imported on first use and with the C loader/dumper where libyaml is available.

Start-up reads banks from a JSON cache and never needs PyYAML; importing it costs ~35 ms.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType
from typing import Any


@cache
def yaml_module() -> ModuleType:
    import yaml

    return yaml


@cache
def safe_loader() -> Any:
    yaml = yaml_module()
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def safe_dumper() -> Any:
    yaml = yaml_module()
    return getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load(text: str) -> Any:
    """Safe loading only: tags such as !!python/object are refused."""
    return yaml_module().load(text, Loader=safe_loader())


def dump(data: Any) -> str:
    return str(
        yaml_module().dump(
            data,
            Dumper=safe_dumper(),
            sort_keys=False,
            allow_unicode=True,
            width=100,
            default_flow_style=False,
        )
    )
