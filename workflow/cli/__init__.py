"""The `besluitroute` command. Thin: parse, call the domain, print.

Subcommands live in their own modules and are imported only when used (`LazyGroup`), and those
modules import nothing heavy at the top, so `besluitroute --help` stays instant.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from workflow.basis.fouten import GebruikersFout

# One language of moments for every command (the portal's exports too).
from workflow.basis.momenten import parse_moment, voeg_tijd_samen
from workflow.cli import nl

nl.installeer()


class Fout(click.ClickException):
    """A user error: one Dutch line per problem on stderr, exit code 2, no traceback."""

    exit_code = 2

    def __init__(self, message: str, regels: list[str] | None = None) -> None:
        super().__init__(message)
        self.regels = [message] if regels is None else regels

    def show(self, file: Any = None) -> None:
        from workflow.basis.tekst import ontsnap

        # One problem, one line: a CR or LF that an echoed value smuggled in is shown escaped.
        for line in self.regels or [""]:
            click.echo(f"fout: {ontsnap(line)}", err=True)


class LazyGroup(click.Group):
    """A group whose subcommands are 'module:attribute' strings, imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, _, attribute = self.lazy[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self.lazy[cmd_name]} is not a click command")
            return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The subcommands with their whole description (click cuts it to fit one line)."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, korte_hulp(command)))
        if rows:
            with formatter.section(nl.vertaal("Commands")):
                formatter.write_dl(rows)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:  # the root sees every word once
            args = voeg_tijd_samen(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GebruikersFout as exc:
            raise Fout(str(exc), exc.regels()) from None
        except BrokenPipeError:
            raise  # `| head`: click ends quietly, as before
        except OSError as exc:
            # A path the system refuses (too long, through a file, no permission) that no check
            # before caught: still one Dutch line, never a traceback.
            from workflow.basis.oorzaken import oorzaak
            from workflow.basis.tekst import citeer

            waar = f"{citeer(exc.filename)}: " if exc.filename is not None else ""
            raise Fout(f"{waar}{oorzaak(exc)}") from None


def korte_hulp(command: click.Command) -> str:
    """A command's description in a list of commands: its `short_help`, else the whole first
    paragraph of its help (the sentence its docstring starts with), never cut."""
    import inspect

    if command.short_help:
        return " ".join(command.short_help.split())
    eerste = inspect.cleandoc(command.help or "").split("\n\n")[0]
    return " ".join(eerste.replace("\b", "").split())


def groep(lazy: dict[str, str], **kwargs: Any) -> Callable[[Callable[..., Any]], LazyGroup]:
    """Decorator for a lazy subcommand group."""
    return cast(Callable[[Callable[..., Any]], LazyGroup],
                click.group(cls=LazyGroup, lazy=lazy, **kwargs))


if TYPE_CHECKING:
    _TekstType = click.ParamType[str]  # generic from click 8.2 on; plain at run time
else:
    _TekstType = click.ParamType


class Kolomtekst(_TekstType):
    """Text that must fit a database column (`Voorstel.opsteller`); the length is read from the
    model when a value is given, so the bound follows the schema (and `--help` imports nothing)."""

    name = "tekst"

    def __init__(self, kolom: str) -> None:
        self.kolom = kolom

    def lengte(self) -> int | None:
        from workflow.opslag import models

        klasse, _, veld = self.kolom.partition(".")
        length = getattr(getattr(models, klasse).__table__.c[veld].type, "length", None)
        return length if isinstance(length, int) else None

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        text = str(value)
        length = self.lengte()
        if length is not None and len(text) > length:
            self.fail(f"te lang ({len(text)} tekens; hoogstens {length})", param, ctx)
        return text


class Pad(click.Path):
    """A path option or argument; an empty value is refused instead of meaning the current
    folder (`--map ""` would write into it)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not value.strip():
            self.fail("leeg pad; geef een map of bestand", param, ctx)
        return super().convert(value, param, ctx)


#: Ids of meetings and messages (an INTEGER column on PostgreSQL).
ID = click.IntRange(1, 2**31 - 1)
#: `--jaar`: the years DATUM_MIN..DATUM_MAX span.
JAAR = click.IntRange(1900, 2199)
#: `planner --grace`, `herinneringen verstuur --inhaaltermijn`: more than 0 hours, at most a year.
INHAALTERMIJN = click.FloatRange(0, 24 * 366, min_open=True)


@groep(
    lazy={
        "init": "workflow.cli.beheer:init",
        "demo": "workflow.cli.demo:demo",
        "definities": "workflow.cli.beheer:definities",
        "orgaan": "workflow.cli.beheer:orgaan",
        "route": "workflow.cli.beheer:route",
        "vergadering": "workflow.cli.vergadering:vergadering",
        "voorstel": "workflow.cli.voorstel:voorstel",
        "plan": "workflow.cli.planning:plan",
        "kalender": "workflow.cli.planning:kalender",
        "verplichtingen": "workflow.cli.planning:verplichtingen",
        "week": "workflow.cli.week:week",
        "agenda": "workflow.cli.agenda:agenda",
        "besluitenlijst": "workflow.cli.agenda:besluitenlijst",
        "herinneringen": "workflow.cli.berichten:herinneringen",
        "berichten": "workflow.cli.berichten:berichten",
        "planner": "workflow.cli.berichten:planner",
        "web": "workflow.web.cli:web",
        "publicatie": "workflow.cli.openbaarheid:publicatie",
        "export": "workflow.web.cli:export",
        "reservekopie": "workflow.cli.reservekopie:reservekopie",
        "herstel": "workflow.cli.reservekopie:herstel",
    },
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="besluitroute", message="besluitroute %(version)s")
@click.option("--database", metavar="URL",
              help="Database-URL (of BESLUITROUTE_DATABASE_URL); standaard sqlite:///besluitroute.db.")
@click.option("--definities", type=Pad(path_type=Path, file_okay=False), metavar="PAD",
              help="Map met definities (organen/, routes/) voor init; andere commando's werken "
                   "met de versie in de database en stoppen als deze map daarvan afwijkt.")
@click.option("--sjablonen", type=Pad(path_type=Path, file_okay=False), metavar="PAD",
              help="Map met eigen sjablonen die de meegeleverde vervangen.")
@click.option("--config", type=Pad(path_type=Path, dir_okay=False), metavar="BESTAND",
              help="Configuratiebestand (TOML); standaard ./besluitroute.toml als dat bestaat.")
@click.option("--nu", envvar="BESLUITROUTE_NU", metavar="TIJDSTIP",
              help="Handel alsof het nu dit tijdstip is (JJJJ-MM-DD of JJJJ-MM-DD UU:MM, "
                   "Nederlandse tijd).")
@click.option("--debug", is_flag=True,
              help="Toon bij een fout ook de oorspronkelijke melding van de bibliotheek.")
@click.pass_context
def cli(ctx: click.Context, database: str | None, definities: Path | None,
        sjablonen: Path | None, config: Path | None, nu: str | None, debug: bool) -> None:
    """besluitroute: voorstellen langs de vergadercyclus van organen.

    Registreer een voorstel, agendeer het, leg advies en besluit vast en lees de volledige
    geschiedenis terug. Begin met 'besluitroute demo' of 'besluitroute init'.
    """
    from workflow.basis import clock
    from workflow.omgeving import Omgeving

    if debug:
        _debug_naar_stderr()
    clock.act_as(parse_moment(nu, "--nu") if nu else None)
    omgeving = Omgeving.maak(definities=definities, sjablonen=sjablonen, database=database,
                             config=config)
    ctx.obj = omgeving
    ctx.call_on_close(omgeving.sluit)


def _debug_naar_stderr() -> None:
    """`--debug`: besluitroute's own log (with the libraries' original messages behind each
    Dutch cause) on stderr, each line starting with `debug:`."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("debug: %(name)s: %(message)s"))
    logger = logging.getLogger("besluitroute")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def main() -> None:
    """Console entry point."""
    sys.exit(cli.main(prog_name="besluitroute"))
