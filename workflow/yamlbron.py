"""YAML reading that remembers the line of every key and list item, for messages like `x.yaml:12: ...`.

The loader is YAML 1.1 without the two surprises that hurt a secretariat's files: `14:00` is not
the sexagesimal integer 840, and dates stay text so our validation can say what is wrong with them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any


class Mapping_(dict[str, Any]):
    """A YAML mapping with the 1-based line of the mapping and of each key."""

    regel: int = 0
    sleutelregels: dict[str, int]


class Lijst(list[Any]):
    """A YAML sequence with the 1-based line of the sequence and of each item."""

    regel: int = 0
    itemregels: list[int]


class DubbeleSleutel(Exception):
    def __init__(self, sleutel: str, regel: int) -> None:
        super().__init__(sleutel)
        self.sleutel = sleutel
        self.regel = regel


@lru_cache(maxsize=1)
def _loader() -> Any:
    """The loader class, built on first use: importing PyYAML costs the CLI's start-up time."""
    import yaml

    # libyaml's parser where present (several times faster); our constructors either way.
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        pass

    # Drop timestamp and the sexagesimal-capable int resolver; re-add a plain integer resolver.
    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp",
                                                                   "tag:yaml.org,2002:int")]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
    )
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    return Loader


def _construct_mapping(loader: Any, node: Any) -> Mapping_:
    result = Mapping_()
    result.regel = node.start_mark.line + 1
    result.sleutelregels = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key)
        line = key_node.start_mark.line + 1
        if key in result:
            raise DubbeleSleutel(key, line)
        result[key] = loader.construct_object(value_node, deep=True)
        result.sleutelregels[key] = line
    return result


def _construct_sequence(loader: Any, node: Any) -> Lijst:
    result = Lijst(loader.construct_object(child, deep=True) for child in node.value)
    result.regel = node.start_mark.line + 1
    result.itemregels = [child.start_mark.line + 1 for child in node.value]
    return result


_PROBLEMS_NL = {
    "mapping values are not allowed here": "hier mag geen ':' met waarde staan (inspringing?)",
    "could not find expected ':'": "':' verwacht",
    "found character '\\t' that cannot start any token": "tab gevonden; gebruik spaties",
    "found undefined alias": "onbekende alias",
    "expected <block end>, but found '-'": "lijstitem op de verkeerde inspringing",
    "did not find expected key": "sleutel verwacht (inspringing?)",
    "did not find expected '-' indicator": "'-' verwacht (inspringing?)",
    "found unexpected end of stream": "bestand houdt onverwacht op",
    "found a tab character that violates indentation": "tab gevonden; gebruik spaties",
}


class YamlFout(Exception):
    def __init__(self, regel: int, melding: str) -> None:
        super().__init__(melding)
        self.regel = regel
        self.melding = melding


def load(path: Path) -> Any:
    """Parse one YAML file; raise YamlFout with a Dutch message and the line on any error."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlFout(1, f"geen geldige UTF-8 ({exc.reason})") from None
    import yaml

    try:
        return yaml.load(text, Loader=_loader())  # our loader derives from (C)SafeLoader
    except DubbeleSleutel as exc:
        raise YamlFout(exc.regel, f"dubbele sleutel '{exc.sleutel}'") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = (exc.problem or exc.context or "onbekend probleem").strip()
        raise YamlFout(line, f"ongeldige YAML: {_PROBLEMS_NL.get(problem, problem)}") from None
    except yaml.YAMLError as exc:
        raise YamlFout(1, f"ongeldige YAML: {exc}") from None
