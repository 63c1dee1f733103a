"""The console entry point. `besluitroute --help` answers from a cached text without importing
click or anything else, so the most common first command stays as fast as bare Python.
"""

from __future__ import annotations

import os
import sys

_ROOT_HELP: tuple[list[str], ...] = ([], ["--help"], ["-h"])


def _cache_folder() -> str | None:
    """Same folder as workflow.basis.paden.cache_map(), found without importing it."""
    root = os.environ.get("BESLUITROUTE_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "besluitroute")
    try:
        info = os.stat(root)
    except OSError:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
        return None
    return root


def _help_key() -> str:
    """Changes when the CLI's code or the terminal width changes."""
    here = os.path.dirname(os.path.abspath(__file__))
    cli = os.path.join(here, "cli")
    stamps = [str(os.stat(os.path.join(cli, name)).st_mtime_ns)
              for name in sorted(os.listdir(cli)) if name.endswith(".py")]
    try:
        width = os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        width = 0
    import zlib  # builtin, no file to load

    return f"{zlib.crc32(''.join(stamps).encode()):08x}-{width}"


def main() -> None:
    args = sys.argv[1:]
    folder = _cache_folder() if args in _ROOT_HELP else None
    path = os.path.join(folder, f"help-{_help_key()}.txt") if folder else None
    if path is not None:
        try:
            with open(path, encoding="utf-8") as handle:
                sys.stdout.write(handle.read())
            sys.exit(0)
        except OSError:
            pass
    from workflow.cli import cli

    if path is None:
        sys.exit(cli.main(prog_name="besluitroute"))
    import click

    with cli.make_context("besluitroute", ["--help"], resilient_parsing=True) as ctx:
        text = ctx.get_help() + "\n"
    try:
        tmp = f"{path}.{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError:
        pass
    click.echo(text, nl=False)
    sys.exit(0)
