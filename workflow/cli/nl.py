"""Dutch for click's own words ("Usage:", "Missing option", ...).

click translates through `gettext.gettext`, bound at import as `_` in its modules; we replace that
name with a lookup in this table. A message missing here simply stays English.
"""

from __future__ import annotations

from typing import Any

VERTALINGEN = {
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Commando's",
    "Arguments": "Argumenten",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "Error": "Fout",
    "Error: {message}": "fout: {message}",
    "Try {command!r} for help.": "Probeer {command!r} voor hulp.",
    "Missing argument {param_hint}.": "Argument {param_hint} ontbreekt.",
    "Missing option {param_hint}.": "Optie {param_hint} ontbreekt.",
    "Missing parameter {param_hint}.": "Parameter {param_hint} ontbreekt.",
    "Missing {param_type}": "{param_type} ontbreekt",
    "Missing {param_type} {param_hint}.": "{param_type} {param_hint} ontbreekt.",
    "argument": "argument",
    "option": "optie",
    "parameter": "parameter",
    "No such option: {name}": "Onbekende optie: {name}",
    "No such command {name!r}.": "Onbekend commando {name!r}.",
    "Did you mean {possibility}?": "Bedoelde u {possibility}?",
    "(Possible options: {possibilities})": "(Mogelijke opties: {possibilities})",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Got unexpected extra argument ({args})": "Onverwacht extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Onverwachte extra argumenten ({args})",
    "Option {name!r} requires an argument.": "Optie {name!r} heeft een waarde nodig.",
    "Option {name!r} requires {nargs} arguments.": "Optie {name!r} heeft {nargs} waarden nodig.",
    "{value!r} is not one of {choices}.": "{value!r} is niet een van {choices}.",
    "{value!r} is not {choice}.": "{value!r} is niet {choice}.",
    "{value!r} is not a valid integer.": "{value!r} is geen geheel getal.",
    "{value!r} is not a valid float.": "{value!r} is geen getal.",
    "{value!r} is not a valid boolean.": "{value!r} is geen ja/nee-waarde.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "File": "Bestand",
    "Directory": "Map",
    "Path": "Pad",
    "Aborted!": "Afgebroken.",
    "default: {default}": "standaard: {default}",
    "env var: {var}": "omgevingsvariabele: {var}",
    "required": "verplicht",
    "(dynamic)": "(berekend)",
}


def vertaal(message: str) -> str:
    return VERTALINGEN.get(message, message)


def vertaal_meervoud(singular: str, plural: str, n: int) -> str:
    return vertaal(singular if n == 1 else plural)


def installeer() -> None:
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    modules: list[Any] = [click.core, click.decorators, click.exceptions, click.formatting,
                          click.parser, click.types]
    for module in modules:
        if hasattr(module, "_"):
            module._ = vertaal
        if hasattr(module, "ngettext"):
            module.ngettext = vertaal_meervoud
    # The usage line's metavars are constructor defaults, not gettext messages.
    original = click.core.Command.collect_usage_pieces
    if getattr(original, "_nl", False):
        return

    def collect_usage_pieces(self: click.core.Command, ctx: click.Context) -> list[str]:
        return [USAGE_NL.get(piece, piece) for piece in original(self, ctx)]

    collect_usage_pieces._nl = True  # type: ignore[attr-defined]
    click.core.Command.collect_usage_pieces = collect_usage_pieces  # type: ignore[method-assign]
    original_group = click.core.Group.collect_usage_pieces

    def group_usage_pieces(self: click.core.Group, ctx: click.Context) -> list[str]:
        return [USAGE_NL.get(piece, piece) for piece in original_group(self, ctx)]

    click.core.Group.collect_usage_pieces = group_usage_pieces  # type: ignore[method-assign]
    # Option metavars come from the type's name: TEXT -> TEKST, INTEGER -> GETAL.
    click.types.STRING.name = "tekst"
    click.types.INT.name = "getal"


USAGE_NL = {"[OPTIONS]": "[OPTIES]", "COMMAND [ARGS]...": "COMMANDO [ARGUMENTEN]..."}
