"""Course model <-> plain data (JSON-ready), used by the JSON export and the cache.

The conversion is derived from the dataclass fields and their type hints, so a
field added to the model is serialised without touching this module.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, cast

from pmkit.content import model as m


def to_data(node: Any, *, sources: bool = False) -> Any:
    """Plain data for a model node: dicts in field order, lists, str/int/bool/None.

    ``sources=False`` drops every ``source`` field (positions are the author's
    business, not an export consumer's).
    """
    if dataclasses.is_dataclass(node):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(node):
            if f.name == "source" and not sources:
                continue
            out[f.name] = to_data(getattr(node, f.name), sources=sources)
        return out
    if isinstance(node, tuple | list):
        return [to_data(v, sources=sources) for v in node]
    if isinstance(node, Mapping):
        return {k: to_data(v, sources=sources) for k, v in node.items()}
    return node


def from_data(cls: type, data: Any) -> Any:
    """Rebuild a model node of ``cls`` from :func:`to_data` output made with sources."""
    return _decoder(cls)(data)


@cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    origin = typing.get_origin(tp)
    if tp is m.KnowledgeQuestion:
        subs = {name: _decoder(cast(Any, cls)) for name, cls in m.QUESTION_CLASSES.items()}
        return lambda d: subs[d["type"]](d)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp, vars(m))
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(tp)]

        def build(d: Mapping[str, Any], _cls: Any = tp, _fields: Any = fields) -> Any:
            return _cls(**{name: dec(d[name]) for name, dec in _fields})

        return build
    if origin is tuple:
        item = _decoder(typing.get_args(tp)[0])
        return lambda v: tuple(item(x) for x in v)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = _decoder(args[0]) if len(args) == 1 else (lambda v: v)
        return lambda v: None if v is None else inner(v)
    if origin is Mapping or tp is m.Points:
        return lambda v: types.MappingProxyType(dict(v))
    return lambda v: v
