"""Whatever value a key holds, the loader answers with a BranchConfig or with readable lines."""

from __future__ import annotations

import copy
import os
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from shared.config import BranchConfig, ConfigError, branch_config_from_dict

DEMO_DATA = tomllib.loads(
    (Path(__file__).resolve().parents[3] / "assets/config/demo-branch.toml").read_text("utf-8")
)


def _at(node: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        node = node[key]
    return node


def _key_paths(node: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every key and list entry of the demo data, sections included."""
    if isinstance(node, dict):
        items: list[tuple[str | int, Any]] = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    else:
        return []
    found = []
    for key, child in items:
        found.append((*prefix, key))
        found.extend(_key_paths(child, (*prefix, key)))
    return found


KEY_PATHS = _key_paths(DEMO_DATA)
TABLE_PATHS = [(), *(p for p in KEY_PATHS if isinstance(_at(DEMO_DATA, p), dict))]

# The value types a TOML file can produce.
toml_values = st.recursive(
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats()
    | st.text(max_size=60)
    | st.dates()
    | st.times(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                  max_size=4),
    max_leaves=8,
)


def _replaced(path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(DEMO_DATA)
    _at(data, path[:-1])[path[-1]] = value
    return data


def _check(data: dict[str, Any]) -> None:
    try:
        config = branch_config_from_dict(data, "fuzz.toml")
    except ConfigError as error:
        assert error.problems
        for line in error.problems:
            assert line.startswith("fuzz.toml: ")
            assert "\n" not in line
            assert "[type=" not in line  # never pydantic's own dump
            assert len(line) < 400
    else:
        assert isinstance(config, BranchConfig)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None)
@given(path=st.sampled_from(KEY_PATHS), value=toml_values)
def test_any_value_anywhere_gives_readable_lines(path: tuple[str | int, ...], value: Any) -> None:
    _check(_replaced(path, value))


@settings(max_examples=100, deadline=None)
@given(path=st.sampled_from(TABLE_PATHS), name=st.text(min_size=1, max_size=20), value=toml_values)
def test_any_extra_key_gives_readable_lines(
    path: tuple[str | int, ...], name: str, value: Any
) -> None:
    data = copy.deepcopy(DEMO_DATA)
    table = _at(data, path)
    assume(name not in table)
    table[name] = value
    _check(data)


@settings(max_examples=100, deadline=None)
@given(path=st.sampled_from(KEY_PATHS))
def test_any_key_left_out_gives_readable_lines(path: tuple[str | int, ...]) -> None:
    data = copy.deepcopy(DEMO_DATA)
    del _at(data, path[:-1])[path[-1]]
    _check(data)
