"""Printing helpers shared by the commands: aligned tables, stable JSON, the actor option."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from workflow.basis.tekst import een_regel

F = TypeVar("F", bound=Callable[..., Any])


#: The exit code of a command whose confirmation was declined or not given: nothing was done.
NIET_BEVESTIGD = 3


def bevestig(vraag: str) -> None:
    """Ask `vraag` on stderr; anything but j/ja (also no answer: end of input) ends the command
    with "niets gedaan" and exit code NIET_BEVESTIGD. Every command that asks uses this."""
    try:
        antwoord = click.prompt(f"{vraag} [j/N]", default="n", show_default=False, err=True)
    except click.Abort:  # end of input or Ctrl-C at the question
        antwoord = ""
    if antwoord.strip().lower() not in ("j", "ja", "y", "yes"):
        click.echo("niets gedaan: niet bevestigd (gebruik --ja om niet te vragen)", err=True)
        raise SystemExit(NIET_BEVESTIGD)


def standaard_door() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in a bare container
        return "onbekend"


def door_optie(func: F) -> F:
    """`--door NAAM`: who records this act (default: the OS user)."""
    from workflow.cli import Kolomtekst

    return click.option("--door", default=standaard_door, show_default="de OS-gebruiker",
                        type=Kolomtekst("Gebeurtenis.door"),
                        metavar="NAAM", help="Wie deze handeling vastlegt.")(func)


def json_optie(func: F) -> F:
    return click.option("--json", "als_json", is_flag=True,
                        help="Uitvoer als JSON (stabiel formaat, zie docs/json.md).")(func)


def print_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


def tabel(kopjes: Sequence[str], rijen: Sequence[Sequence[Any]], *,
          omloop: int | None = None) -> None:
    """An aligned plain-text table; text is shown on one line (newlines become spaces). With
    `omloop`, the last column wraps at that width onto continuation lines: nothing is cut."""
    import textwrap

    cells = [[_cell(v) for v in rij] for rij in rijen]
    regels: list[list[str]] = []
    for rij in cells:
        if omloop is None or len(rij[-1]) <= omloop:
            regels.append(rij)
            continue
        delen = textwrap.wrap(rij[-1], omloop, break_long_words=True, break_on_hyphens=False)
        regels.append([*rij[:-1], delen[0]])
        regels.extend([*([""] * (len(rij) - 1)), deel] for deel in delen[1:])
    widths = [max([len(k), *(len(r[i]) for r in regels)]) for i, k in enumerate(kopjes)]
    click.echo("  ".join(k.ljust(w) for k, w in zip(kopjes, widths, strict=True)).rstrip())
    click.echo("  ".join("-" * w for w in widths))
    for rij in regels:
        click.echo("  ".join(c.ljust(w) for c, w in zip(rij, widths, strict=True)).rstrip())


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return een_regel(str(value))


def kort(text: str, width: int) -> str:
    """One line of at most `width` characters, cut with an ellipsis."""
    text = een_regel(text)
    return text if len(text) <= width else text[: width - 1] + "…"
