"""YAML read into dicts and lists that remember the line each value starts on, so that
every validator can report a problem as ``FILE:LINE``."""
from __future__ import annotations

from typing import Any

import yaml

from .characters import describe, unstorable_character


class LDict(dict):
    line = 0
    key_lines: dict


class LList(list):
    line = 0


def build(node: yaml.Node, problems: list[tuple[int, str]]) -> Any:
    """Turn a composed YAML node into dicts/lists that remember their line numbers;
    text no stored text may hold goes into `problems`."""
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode) and (char := unstorable_character(node.value)):
        # PyYAML refuses these as raw characters, but makes them from escapes ("\0", "\ud800")
        problems.append((line, f"the text contains the {describe(char)}, which cannot be stored"))
    if isinstance(node, yaml.MappingNode):
        out = LDict()
        out.line = line
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = build(key_node, problems)
            if isinstance(key, (dict, list)):
                raise yaml.MarkedYAMLError(problem="a key must be a plain value", problem_mark=key_node.start_mark)
            if key in out:
                raise yaml.MarkedYAMLError(problem=f"duplicate key '{key}'", problem_mark=key_node.start_mark)
            out[key] = build(value_node, problems)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        out = LList(build(n, problems) for n in node.value)
        out.line = line
        return out
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


def line_of(value: Any, key: str | None = None, default: int = 0) -> int:
    if key is not None and isinstance(value, LDict) and key in value.key_lines:
        return value.key_lines[key]
    return getattr(value, "line", default) or default
