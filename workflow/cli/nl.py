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
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende parameter",
    "Missing parameter: {param_name}": "Ontbrekende parameter: {param_name}",
    "Missing command.": "Commando ontbreekt.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{value} is not in the range {range}.": "{value} ligt niet binnen {range}.",
    "{value!r} does not match the format {format}.": "{value!r} past niet bij de vorm {format}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} is geen ja/nee-waarde. Mogelijk: {states}",
    "{value!r} is not a valid UUID.": "{value!r} is geen geldige UUID.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} is niet uitvoerbaar.",
    "Could not open file {filename!r}: {message}": "Kan bestand {filename!r} niet openen: {message}",
    "Option {name!r} does not take a value.": "Optie {name!r} neemt geen waarde.",
    "Argument {name!r} takes {nargs} values.": "Argument {name!r} neemt {nargs} waarden.",
    "Takes {nargs} values but 1 was given.": "Neemt {nargs} waarden, maar er is 1 gegeven.",
    "Invalid start character for option ({option})": "Ongeldig beginteken voor optie ({option})",
    "unknown error": "onbekende fout",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
    "integer": "geheel getal",
    "float": "getal",
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
    "Choose from:\n\t{choices}": "Kies uit: {choices}",
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
    # One Dutch line per usage error, with a Dutch pointer to the help instead of
    # "Usage: ...\nTry '... --help' for help.\nError: ...".
    click.exceptions.UsageError.show = _toon_gebruiksfout  # type: ignore[method-assign]
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
    click.types.FLOAT.name = "getal"
    click.types.IntRange.name = "geheel getal"
    click.types.FloatRange.name = "getal"


def _toon_gebruiksfout(self: Any, file: Any = None) -> None:
    import click

    from workflow.basis.tekst import ontsnap

    message = ontsnap(" ".join(self.format_message().split()))
    hint = ""
    ctx = self.ctx
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        hint = f" (zie '{ctx.command_path} --help')"
    click.echo(f"fout: {message}{hint}", file=file, err=file is None)


USAGE_NL = {"[OPTIONS]": "[OPTIES]", "COMMAND [ARGS]...": "COMMANDO [ARGUMENTEN]..."}
