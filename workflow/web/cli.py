"""`besluitroute web`: the read-only portal on the CLI's configuration and database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workflow.basis import bestanden

if TYPE_CHECKING:
    from workflow.omgeving import Omgeving


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, metavar="ADRES",
              help="Luister op dit adres (achter nginx: 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="Luister op deze poort.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Aantal werkprocessen (gunicorn); één per processorkern is een goed begin.")
@click.option("--zonder-tls", is_flag=True,
              help="Sessiecookie zonder Secure: alleen voor http op de eigen machine.")
@click.option("--proxies", type=click.IntRange(0, 5), default=1, show_default=True,
              help="Aantal proxy's (nginx) ervoor die X-Forwarded-* en X-Forwarded-Prefix "
                   "zetten; 0 als de browser rechtstreeks verbindt.")
@click.option("--toegangslog", is_flag=True, help="Schrijf elk verzoek naar stdout.")
@click.pass_obj
def web(env: Omgeving, host: str, port: int, workers: int, zonder_tls: bool, proxies: int,
        toegangslog: bool) -> None:
    """Start het portaal: vergaderingen, agenda's, voorstellen en kalenders in de browser.

    Alleen lezen: wijzigen kan alleen met de andere commando's. Leest dezelfde configuratie en
    database. Anoniem ziet men wat op dat moment gepubliceerd is (Woo); leden loggen in met een
    link per e-mail.
    """
    from workflow.basis.fouten import GebruikersFout
    from workflow.basis.tekst import citeer
    from workflow.web.beveiliging import is_loopback

    instellingen = env.instellingen
    if instellingen.web_tls is False:
        zonder_tls = True
    adres = (instellingen.web_adres or "").rstrip("/")
    if adres:
        _controleer_adres(adres)
    else:
        if not is_loopback(host):
            # Sign-in links are built from this address only, never from a request's Host.
            raise GebruikersFout(f"web: luisteren op {citeer(host)} kan alleen met het publieke "
                                 f"adres in de configuratie ([web] adres = \"https://...\")")
        naam = f"[{host}]" if ":" in host else host
        adres = f"http://{naam}:{port}"
    env.db.vereis_schema()
    _ = env.definities  # fail here, in Dutch, when the database has no definitions yet
    from workflow.web.opslag import Inloglink

    with env.db.lees() as session:  # the portal's tables exist (migration 0011)
        session.query(Inloglink.id).limit(1).all()
    from workflow.basis import logboek
    from workflow.web.server import draai

    logboek.stel_in()  # the portal's events, one Dutch line each, on stdout (journald)
    schema = "http" if zonder_tls else "https (achter TLS)"
    click.echo(f"portaal op http://{host}:{port}/ ({workers} werkproces(sen), cookies voor "
               f"{schema}); stoppen met Ctrl-C", err=True)
    draai(env, host=host, port=port, workers=workers, veilige_cookies=not zonder_tls,
          proxies=proxies, adres=adres, toegangslog=toegangslog)


def _controleer_adres(adres: str) -> None:
    """`[web] adres` is a full URL with scheme and host (`https://bestuur.example.nl/portaal`):
    without it every request would be refused as a forged Host and links would lack the scheme.
    Else one Dutch line naming the setting (exit 2)."""
    from urllib.parse import urlsplit

    from workflow.basis.fouten import GebruikersFout
    from workflow.basis.tekst import citeer

    try:
        delen = urlsplit(adres)
        geldig = delen.scheme in ("http", "https") and bool(delen.hostname) \
            and not delen.query and not delen.fragment
    except ValueError:
        geldig = False
    if not geldig:
        raise GebruikersFout(f"web: [web] adres {citeer(adres)} is geen volledig adres; "
                             f"zet het met http:// of https:// ervoor, bijvoorbeeld "
                             f"\"https://bestuur.example.nl/portaal\"")


@click.group()
def export() -> None:
    """Exporteer gepubliceerde gegevens."""


@export.command("oparl")
@click.argument("map_", metavar="MAP", type=click.Path(path_type=Path, file_okay=False))
@click.option("--adres", default="http://localhost:8000", show_default=True, metavar="URL",
              help="Het adres waaronder de bestanden straks staan (voor de URL's in de objecten).")
@click.option("--maak-map", is_flag=True, help="Maak MAP (en de mappen erboven) als die er nog "
                                               "niet is.")
@click.pass_obj
def oparl(env: Omgeving, map_: Path, adres: str, maak_map: bool) -> None:
    """Schrijf alle gepubliceerde OParl 1.1-objecten als statische JSON-bestanden.

    Voorbeeld: besluitroute export oparl /var/www/oparl --adres https://grjr.example
    """
    from workflow.web import oparl as api
    env.db.vereis_schema()
    bestanden.zorg_voor_map(map_, maak=maak_map)  # made only when asked
    aantal, grootte = api.exporteer(env, map_, adres)
    click.echo(f"{aantal} bestanden ({grootte / 1e6:.1f} MB) geschreven in {map_}")


@export.command("woo-index")
@click.argument("map_", metavar="MAP", type=click.Path(path_type=Path, file_okay=False))
@click.option("--adres", default=None, metavar="URL",
              help="Het publieke adres van de bestanden (standaard [woo_index] adres of "
                   "[web] adres uit besluitroute.toml).")
@click.option("--maak-map", is_flag=True, help="Maak MAP (en de mappen erboven) als die er nog "
                                               "niet is.")
@click.pass_obj
def woo_index(env: Omgeving, map_: Path, adres: str | None, maak_map: bool) -> None:
    """Schrijf robots.txt en de sitemaps met DiWoo-metadata voor de Woo-index in MAP/woo-index.

    Voorbeeld: besluitroute export woo-index /var/www/bestuur --adres https://bestuur.example.nl
    """
    from workflow.basis.fouten import GebruikersFout
    from workflow.openbaarheid.wooindex import export as wooindex

    adres = adres or wooindex.adres(env.config)
    if not adres:
        raise GebruikersFout("geen adres: geef --adres URL of zet [web] adres in besluitroute.toml")
    env.db.vereis_schema()
    wooindex.controleer_adres(adres)  # before any folder is made
    bestanden.zorg_voor_map(map_, maak=maak_map)  # made only when asked
    aantal, grootte = wooindex.exporteer(env, map_, adres)
    click.echo(f"{aantal} bestanden ({grootte / 1e6:.1f} MB) geschreven in {map_ / 'woo-index'}")


@export.command("ori-a")
@click.argument("map_", metavar="MAP", type=click.Path(path_type=Path, file_okay=False))
@click.option("--orgaan", "organen", multiple=True, metavar="ORGAAN",
              help="Alleen dit orgaan (herhaalbaar); standaard elk orgaan met 'archief'.")
@click.option("--van", default=None, metavar="DATUM",
              help="Vergaderingen vanaf deze dag (JJJJ-MM-DD, of een moment JJJJ-MM-DD UU:MM).")
@click.option("--tot", default=None, metavar="DATUM",
              help="Vergaderingen vóór deze dag (JJJJ-MM-DD, of een moment JJJJ-MM-DD UU:MM).")
@click.option("--maak-map", is_flag=True, help="Maak MAP (en de mappen erboven) als die er nog "
                                               "niet is.")
@click.pass_obj
def ori_a(env: Omgeving, map_: Path, organen: tuple[str, ...], van: str | None,
          tot: str | None, maak_map: bool) -> None:
    """Schrijf elke gehouden vergadering als ORI-A 1.0.1 met haar documenten en MDTO voor het
    e-Depot, één map per vergadering; ongewijzigde vergaderingen blijven staan.

    Voorbeeld: besluitroute export ori-a /srv/edepot --orgaan ab-platform-jeugd --van 2021-01-01
    """
    from workflow.archief import export as archief
    from workflow.basis.momenten import parse_moment

    env.db.vereis_schema()
    bestanden.zorg_voor_map(map_, maak=maak_map)  # made only when asked
    verslag = archief.exporteer(
        env, map_, organen=organen or None,
        van=parse_moment(van, "--van") if van is not None else None,
        tot=parse_moment(tot, "--tot") if tot is not None else None)
    for naam in verslag.geschreven:
        click.echo(f"geschreven: {map_ / naam}")
    click.echo(f"{len(verslag.geschreven)} vergadering(en) geschreven, "
               f"{len(verslag.ongewijzigd)} ongewijzigd")
    for fout in verslag.fouten:
        click.echo(f"fout: {fout}", err=True)
    if verslag.fouten:  # each said on its own line; the meetings that could be written are
        raise SystemExit(2)
