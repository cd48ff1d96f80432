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
    return _plain(node, _SOURCES if sources else _NO_SOURCES)


#: Types returned as they are (checked first: most values are text).
_AS_IS: frozenset[type] = frozenset({str, int, bool, float, type(None)})
#: Field names per dataclass, without and with ``source``: ``dataclasses.fields()``
#: on every node (370,000 of them for 10,000 questions) cost more than the walk.
_NO_SOURCES: dict[type, tuple[str, ...]] = {}
_SOURCES: dict[type, tuple[str, ...]] = {}
#: Per dataclass with added fields (``model.ADDED_FIELD``): field name -> its default.
_ADDED: dict[type, dict[str, Any]] = {}


def added_fields(cls: type) -> dict[str, Any]:
    """The fields of ``cls`` written only when they differ from their default, with it."""
    found = _ADDED.get(cls)
    if found is None:
        found = _ADDED[cls] = {
            f.name: f.default
            for f in dataclasses.fields(cls)
            if f.metadata.get("omit_default") and f.default is not dataclasses.MISSING
        }
    return found


def _plain(node: Any, names_of: dict[type, tuple[str, ...]]) -> Any:
    kind = type(node)
    if kind in _AS_IS:
        return node
    names = names_of.get(kind)
    if names is None and dataclasses.is_dataclass(node):
        keep_source = names_of is _SOURCES
        names = names_of[kind] = tuple(
            f.name for f in dataclasses.fields(node) if keep_source or f.name != "source"
        )
    if names is not None:
        added = added_fields(kind)
        if added:  # an added field at its default is left out (model.ADDED_FIELD)
            return {
                name: _plain(getattr(node, name), names_of)
                for name in names
                if name not in added or getattr(node, name) != added[name]
            }
        return {name: _plain(getattr(node, name), names_of) for name in names}
    if isinstance(node, tuple | list):
        return [_plain(v, names_of) for v in node]
    if isinstance(node, Mapping):
        return {k: _plain(v, names_of) for k, v in node.items()}
    return node


def from_data(cls: type, data: Any) -> Any:
    """Rebuild a model node of ``cls`` from :func:`to_data` output made with sources.

    The data is checked against the type hints as it is decoded: a missing or
    unknown field, or a value of the wrong type, raises :class:`MalformedData`.
    The cache reads files anyone could have written, and a course that does
    not fit the model must be rejected, never handed to an exporter
    (docs/decisions.md §20).
    """
    return _decoder(cls)(data)


class MalformedData(ValueError):
    """Plain data that does not describe a model node."""


def _expect(ok: bool, what: str, value: Any) -> None:
    if not ok:
        raise MalformedData(f"expected {what}, found {type(value).__name__}")


#: Field types checked by the build loop itself: for them JSON gives exactly
#: these types, so ``type(v) is t`` (with None where the field is optional)
#: accepts what their decoders accept; anything else goes to the decoder,
#: which accepts or refuses it as before.
_EXACT: frozenset[Any] = frozenset({str, int, bool})


def _dataclass_decoder(tp: Any) -> Callable[[Any], Any]:
    """The decoder of one dataclass: scalar fields checked in its own loop.

    A warm run decodes 370,000 nodes for 10,000 questions; a closure call per
    field and a dict of keyword arguments per node were most of the cost. The
    loop passes the fields positionally (dataclass ``__init__`` takes them in
    field order) and calls a field's decoder only when the value is not
    plainly of the field's type.
    """
    hints = typing.get_type_hints(tp, vars(m))
    names = {f.name for f in dataclasses.fields(tp)}
    added = added_fields(tp)
    needed = names - added.keys()
    plan: list[tuple[str, Any, bool, Callable[[Any], Any]]] = []
    for f in dataclasses.fields(tp):
        hint = hints[f.name]
        exact, optional = (hint if hint in _EXACT else None), False
        if typing.get_origin(hint) in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(hint) if a is not type(None)]
            if len(args) == 1 and args[0] in _EXACT:
                exact, optional = args[0], True
        plan.append((f.name, exact, optional, _decoder(hint)))
    what = f"the fields of {tp.__name__}"

    def build(d: Any) -> Any:
        if not isinstance(d, dict) or not (d.keys() == names or needed <= d.keys() <= names):
            _expect(False, what, d)
        args = []
        for name, exact, optional, decode in plan:
            if name not in d:  # an added field left out at its default
                args.append(added[name])
                continue
            v = d[name]
            if type(v) is not exact and not (optional and v is None):
                v = decode(v)
            args.append(v)
        return tp(*args)

    return build


def _scalar(tp: Any) -> Callable[[Any], Any]:
    if tp is bool:

        def check_bool(v: Any) -> Any:
            _expect(isinstance(v, bool), "a boolean", v)
            return v

        return check_bool
    if tp is int:

        def check_int(v: Any) -> Any:
            _expect(isinstance(v, int) and not isinstance(v, bool), "an integer", v)
            return v

        return check_int
    if tp is str:

        def check_str(v: Any) -> Any:
            _expect(isinstance(v, str), "text", v)
            return v

        return check_str
    if typing.get_origin(tp) is typing.Literal:
        allowed = typing.get_args(tp)

        def check_literal(v: Any) -> Any:
            _expect(v in allowed and isinstance(v, str), f"one of {allowed}", v)
            return v

        return check_literal
    raise TypeError(f"the model has a field of type {tp!r} that serialize.py cannot check")


@cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    origin = typing.get_origin(tp)
    if tp is m.KnowledgeQuestion:
        subs = {name: _decoder(cast(Any, cls)) for name, cls in m.QUESTION_CLASSES.items()}

        def question(d: Any) -> Any:
            _expect(isinstance(d, dict) and d.get("type") in subs, "a question", d)
            return subs[d["type"]](d)

        return question
    if dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    if origin is tuple:
        item = _decoder(typing.get_args(tp)[0])

        def sequence(v: Any) -> Any:
            _expect(isinstance(v, list), "a list", v)
            return tuple(map(item, v))

        return sequence
    if tp == m.OptionValue:

        def option_value(v: Any) -> Any:
            _expect(isinstance(v, str | int | float), "an option value", v)
            return v

        return option_value
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"the model has a union {tp!r} that serialize.py cannot check")
        inner = _decoder(args[0])
        return lambda v: None if v is None else inner(v)
    if origin is Mapping or tp is m.Points:
        key, value = (_decoder(a) for a in typing.get_args(tp))

        def mapping(v: Any) -> Any:
            _expect(isinstance(v, dict), "a mapping", v)
            return types.MappingProxyType({key(k): value(x) for k, x in v.items()})

        return mapping
    return _scalar(tp)
