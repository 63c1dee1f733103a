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


#: Nesting deeper than this is refused before construction (PyYAML recurses per level:
#: RecursionError at ~1,000 levels, a segmentation fault at 100,000). Real files use under 10.
MAX_DIEPTE = 50
#: Aliases (`*naam`) a file may use, and the nodes their expansion may add in total: a "billion
#: laughs" file of a few lines otherwise expands to gigabytes.
MAX_ALIASSEN = 100
MAX_UITGEBREID = 10_000

# libyaml's and PyYAML's problem texts, as regular expressions, in Dutch.
_PROBLEMS_NL: list[tuple[str, str]] = [
    (r"mapping values are not allowed (here|in this context)",
     "hier mag geen ':' met waarde staan (inspringing, of een ':' zonder aanhalingstekens?)"),
    (r"could not find expected ':'", "':' verwacht"),
    (r"found character '\\t' that cannot start any token", "tab gevonden; gebruik spaties"),
    (r"found a tab character (that violates indentation|where an indentation space is expected)",
     "tab gevonden; gebruik spaties"),
    (r"found undefined alias.*", "onbekende alias"),
    (r"expected <block end>, but found '-'", "lijstitem op de verkeerde inspringing"),
    (r"expected <block end>, but found .*", "onverwachte tekst (inspringing?)"),
    (r"did not find expected key", "sleutel verwacht (inspringing?)"),
    (r"did not find expected '-' indicator", "'-' verwacht (inspringing?)"),
    (r"did not find expected ',' or '\]'", "',' of ']' verwacht (lijst tussen [ ] niet gesloten?)"),
    (r"did not find expected ',' or '\}'", "',' of '}' verwacht (mapping tussen { } niet gesloten?)"),
    (r"did not find expected node content", "waarde verwacht"),
    (r"did not find expected comment or line break", "einde van de regel verwacht"),
    (r"did not find expected alphabetic or numeric character", "letter of cijfer verwacht"),
    (r"did not find expected tag URI", "ongeldige tag"),
    (r"did not find URI escaped octet", "ongeldige tag"),
    (r"found unexpected end of stream", "bestand houdt onverwacht op (aanhalingsteken niet gesloten?)"),
    (r"found unexpected ':'", "onverwachte ':'"),
    (r"found unknown escape character.*", "onbekende escape met '\\' tussen dubbele aanhalingstekens"),
    (r"found unexpected document indicator", "onverwacht '---' of '...' binnen tekst"),
    (r"found duplicate anchor.*", "anker dubbel gedefinieerd"),
    # PyYAML 6.0.4 and later: its scanner stops deep nesting itself, before our own limit.
    (r"exceeded maximum nesting depth", f"te diep genest (meer dan {MAX_DIEPTE} niveaus)"),
    (r"found character that cannot start any token", "teken dat hier niet mag staan"),
    (r"found a character that cannot start any token", "teken dat hier niet mag staan"),
    (r"found unacceptable character.*|special characters are not allowed",
     "niet-toegestaan (stuur)teken"),
    (r"expected a comment or a line break, but found .*", "einde van de regel verwacht"),
    (r"expected ',' or '\]', but got .*", "',' of ']' verwacht"),
    (r"expected ',' or '\}', but got .*", "',' of '}' verwacht"),
    (r"expected '<document start>', but found .*", "tweede document of onverwachte tekst"),
    (r"expected <block mapping start>.*|expected <block sequence start>.*",
     "onverwachte opbouw (inspringing?)"),
    (r"could not determine a constructor for the tag.*", "onbekende tag (gebruik geen '!')"),
    (r"found unhashable key", "een lijst of mapping kan geen sleutel zijn"),
    (r"expected a single document in the stream.*", "meer dan één document ('---') in het bestand"),
    (r"while scanning .*|while parsing .*", "ongeldige opbouw"),
]


def _vertaal(problem: str) -> str:
    for pattern, dutch in _PROBLEMS_NL:
        if re.fullmatch(pattern, problem, flags=re.DOTALL):
            return dutch
    return "ongeldige YAML-opbouw"


class YamlFout(Exception):
    def __init__(self, regel: int, melding: str) -> None:
        super().__init__(melding)
        self.regel = regel
        self.melding = melding


def _regel(event: Any) -> int:
    mark = event.start_mark
    return mark.line + 1 if mark is not None else 1


def _check_events(text: str) -> None:
    """Refuse deep nesting and alias bombs on the event stream, which PyYAML produces without
    recursion and without expanding anything; only then may the file be constructed."""
    import yaml

    diepte = 0
    aliassen = 0
    knopen = 0  # nodes so far, aliases counted as the nodes they expand to
    uitgebreid = 0  # nodes added by aliases
    grootte: dict[str, int] = {}  # anchor -> nodes in its (expanded) subtree
    open_ankers: list[tuple[str | None, int]] = []  # per open collection: its anchor, start
    for event in yaml.parse(text, Loader=_loader()):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            diepte += 1
            if diepte > MAX_DIEPTE:
                raise YamlFout(_regel(event),
                               f"te diep genest (meer dan {MAX_DIEPTE} niveaus)")
            open_ankers.append((event.anchor, knopen))
            knopen += 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            diepte -= 1
            anker, begin = open_ankers.pop()
            if anker is not None:
                grootte[anker] = knopen - begin
        elif isinstance(event, yaml.ScalarEvent):
            knopen += 1
            if event.anchor is not None:
                grootte[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            aliassen += 1
            extra = grootte.get(event.anchor or "", 1)
            knopen += extra
            uitgebreid += extra
            regel = _regel(event)
            if aliassen > MAX_ALIASSEN:
                raise YamlFout(regel, f"te veel aliassen (meer dan {MAX_ALIASSEN})")
            if uitgebreid > MAX_UITGEBREID:
                raise YamlFout(regel, f"aliassen breiden te ver uit (meer dan {MAX_UITGEBREID} "
                                      f"waarden)")


def load(path: Path, *, binnen: Path | None = None) -> Any:
    """Parse one YAML file; raise YamlFout with a Dutch message and the line on any error.

    Only a regular file of at most 1 MB (inside `binnen`, if given) is read.
    """
    from workflow.basis.bestanden import BestandFout, lees_bytes

    try:
        data = lees_bytes(path, binnen=binnen)
    except BestandFout as exc:
        raise YamlFout(1, str(exc)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlFout(1, f"geen geldige UTF-8 (byte {exc.start + 1})") from None
    import yaml

    try:
        _check_events(text)
        return yaml.load(text, Loader=_loader())  # our loader derives from (C)SafeLoader
    except DubbeleSleutel as exc:
        raise YamlFout(exc.regel, f"dubbele sleutel '{exc.sleutel}'") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = (exc.problem or exc.context or "").strip()
        raise YamlFout(line, f"ongeldige YAML: {_vertaal(problem)}") from None
    except yaml.YAMLError:
        raise YamlFout(1, "ongeldige YAML") from None
