"""Every setting besluitroute reads, declared once: its type, default, Dutch help text, its key in
`besluitroute.toml` and its environment variable. docs/configuratie.md is generated from here
(`python -m workflow.basis.instellingen`) and a test compares the two.

The config file is checked when it is read (`controleer`): a key that is not declared here, or a
value of the wrong type, is one Dutch line naming the file and the key, never silently ignored.
Readers ask `van(config)` for the typed values (environment variable before file before default);
command-line options come before both, in the commands that have them.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workflow.basis.fouten import GebruikersFout

#: The key under which the config reader keeps the file's own path (paths are relative to it).
PAD_SLEUTEL = "_pad"
#: Settings that exist only as environment variables (no key in the file).
OMGEVING_CONFIG = "BESLUITROUTE_CONFIG"
OMGEVING_NU = "BESLUITROUTE_NU"
OMGEVING_CACHE = "BESLUITROUTE_CACHE"


def _veld(toml: str | None, omgeving: str | None, uitleg: str, standaard: Any = None,
          soort: str = "tekst") -> Any:
    """A declared setting; `soort` is tekst, pad (relative to the config file), getal, geheel
    getal, ja/nee or tabel (a TOML table)."""
    return field(default=standaard, metadata={"toml": toml, "omgeving": omgeving,
                                              "uitleg": uitleg, "soort": soort})


@dataclass(frozen=True)
class Instellingen:
    """The typed settings. A path from the file is already made absolute against the file."""

    database: str | None = _veld(
        "database", "BESLUITROUTE_DATABASE_URL",
        "De database: `sqlite:///pad.db` (een relatief pad in het bestand is relatief aan het "
        "bestand) of `postgresql://...`. Standaard `sqlite:///besluitroute.db` in de huidige map. "
        "Optie: `--database`.", soort="url")
    definities: Path | None = _veld(
        "definities", "BESLUITROUTE_DEFINITIES",
        "Een eigen map met definities; moet gelijk zijn aan de toegepaste versie. Standaard de "
        "meegeleverde. Optie: `--definities`.", soort="pad")
    sjablonen: Path | None = _veld(
        "sjablonen", "BESLUITROUTE_SJABLONEN",
        "Een map met eigen sjablonen die de meegeleverde vervangen. Optie: `--sjablonen`.",
        soort="pad")
    uitgaand: Path | None = _veld(
        "uitgaand", "BESLUITROUTE_UITGAAND",
        "De map voor e-mail als `.eml`-bestanden als er geen SMTP is ingesteld. Standaard "
        "`uitgaand/` in de huidige map.", soort="pad")
    afzender: str | None = _veld(
        "afzender", None, "Vroegere plek van `[mail] afzender`; die gaat voor.")
    agenda_map: Path | None = _veld(
        "agenda.map", None,
        "Waar `agenda genereer` en de planner de agenda's schrijven. Standaard "
        "`agendas/` in de map voor uitgaande e-mail.", soort="pad")
    mail_afzender: str | None = _veld(
        "mail.afzender", "BESLUITROUTE_AFZENDER",
        "De afzender van alle e-mail (`Naam <adres>`). Standaard de secretaris van het orgaan.")
    mail_bijlagen_max_mb: float = _veld(
        "mail.bijlagen_max_mb", None,
        "Hoeveel MB aan stukken een agenda-mail hoogstens als bijlage meestuurt (0 .. 1000); "
        "daarboven een lijst met naam, grootte en SHA-256.", 10.0, "getal")
    mail_overzicht: str = _veld(
        "mail.overzicht", None,
        "`\"beknopt\"`: het weekoverzicht noemt alleen vergaderingen met voorstellen en gaat "
        "niet uit als er niets te doen is; `\"volledig\"`: ook lege vergaderingen.", "beknopt")
    mail_aanhef: Mapping[str, Any] | None = _veld(
        "mail.aanhef", None,
        "Aanhef per orgaan (sleutel) of rol (`voorzitter`, `lid`, `secretaris`, `adviseur`, "
        "`opsteller`, `standaard`): `\"Beste\"` of `\"Geachte\"`. Standaard die van het "
        "orgaan (`aanhef:` in zijn definitie), anders Beste.", soort="tabel")
    smtp_host: str | None = _veld(
        "smtp.host", "BESLUITROUTE_SMTP_HOST",
        "De SMTP-server. Zonder host komen de e-mails als bestanden in de map `uitgaand`.")
    smtp_port: int | None = _veld(
        "smtp.port", "BESLUITROUTE_SMTP_PORT",
        "De poort; standaard 587 (starttls), 465 (ssl) of 25 (geen).", soort="geheel getal")
    smtp_beveiliging: str = _veld(
        "smtp.beveiliging", "BESLUITROUTE_SMTP_BEVEILIGING",
        "`starttls`, `ssl` of `geen`.", "starttls")
    smtp_gebruiker: str | None = _veld(
        "smtp.gebruiker", "BESLUITROUTE_SMTP_GEBRUIKER", "De gebruikersnaam om in te loggen.")
    smtp_wachtwoord: str | None = _veld(
        "smtp.wachtwoord", "BESLUITROUTE_SMTP_WACHTWOORD",
        "Het wachtwoord; liever als omgevingsvariabele dan in het bestand.")
    smtp_timeout: float = _veld(
        "smtp.timeout", "BESLUITROUTE_SMTP_TIMEOUT",
        "Seconden wachten op een antwoord van de server (meer dan 0, hoogstens 3600).", 30.0,
        "getal")
    smtp_begroeting_timeout: float = _veld(
        "smtp.begroeting_timeout", "BESLUITROUTE_SMTP_BEGROETING_TIMEOUT",
        "Seconden wachten op de begroeting van de server (met `ssl` ook de TLS-handdruk; "
        "STARTTLS valt er niet onder).", 10.0, "getal")
    smtp_ca_bestand: str | None = _veld(
        "smtp.ca_bestand", "BESLUITROUTE_SMTP_CA_BESTAND",
        "Een PEM-bestand met de certificaatautoriteiten die in plaats van die van het systeem "
        "vertrouwd worden.")
    smtp_afzender: str | None = _veld(
        "smtp.afzender", None, "Vroegere plek van `[mail] afzender`; die gaat voor.")
    herinneringen_inhaaltermijn_uren: float | None = _veld(
        "herinneringen.inhaaltermijn_uren", None,
        "Hoe lang na hun moment herinneringen aan opstellers nog uitgaan na uitval (uren, meer "
        "dan 0, hoogstens 8784). Standaard 24. Optie: `--grace`.", soort="getal")
    web_adres: str | None = _veld(
        "web.adres", None,
        "Het publieke adres van het portaal (`https://...`); inloglinks worden alleen hieruit "
        "gemaakt. Nodig als het portaal op meer dan loopback luistert.")
    web_tls: bool = _veld(
        "web.tls", None,
        "`false`: het portaal draait zonder TLS (alleen op de eigen machine), zoals "
        "`--zonder-tls`.", True, "ja/nee")
    web_naam: str = _veld(
        "web.naam", None, "De naam van het portaal in OParl.", "besluitroute")
    woo_index_adres: str | None = _veld(
        "woo_index.adres", None,
        "Het publieke adres van de Woo-indexbestanden; standaard `[web] adres`.")
    woo_index_map: Path | None = _veld(
        "woo_index.map", None,
        "De map die elke ronde van de planner met de Woo-indexbestanden bijwerkt.", soort="pad")


#: The file's keys ("sectie.sleutel" or "sleutel") -> the field that holds them.
_VELDEN = {f.metadata["toml"]: f for f in dataclasses.fields(Instellingen) if f.metadata["toml"]}


def _soort_fout(soort: str) -> str:
    return {"tekst": "tekst", "pad": "een pad (tekst)", "url": "een niet-lege URL", "getal": "een getal",
            "geheel getal": "een geheel getal", "ja/nee": "true of false",
            "tabel": "een tabel"}[soort]


def _omgezet(waarde: Any, soort: str, *, uit_tekst: bool = False) -> Any:
    """The value as its type, or ValueError. Only an environment variable (`uit_tekst`) may
    spell a number or a yes/no as text; TOML has types of its own."""
    if isinstance(waarde, str) and not uit_tekst and soort in ("ja/nee", "geheel getal", "getal"):
        raise ValueError(waarde)
    if soort in ("tekst", "pad", "url"):
        if isinstance(waarde, str) and (soort != "url" or waarde.strip()):
            return waarde
    elif soort == "ja/nee":
        if isinstance(waarde, bool):
            return waarde
        if isinstance(waarde, str) and waarde.lower() in ("true", "false", "ja", "nee", "1", "0"):
            return waarde.lower() in ("true", "ja", "1")
    elif soort == "geheel getal":
        if isinstance(waarde, int) and not isinstance(waarde, bool):
            return waarde
        if isinstance(waarde, str) and waarde.strip().isdigit():
            return int(waarde)
    elif soort == "tabel":
        if isinstance(waarde, Mapping):
            return waarde
    elif soort == "getal" and not isinstance(waarde, bool):
        getal = float(waarde) if isinstance(waarde, (int, float, str)) else math.nan
        if math.isfinite(getal):
            return getal
    raise ValueError(waarde)


def controleer(data: Mapping[str, Any], pad: Path) -> None:
    """Refuse a key that is not declared and a value of the wrong type, in one Dutch line."""
    for sleutel, waarde in data.items():
        if sleutel == PAD_SLEUTEL:
            continue
        if isinstance(waarde, dict) and sleutel not in _VELDEN:
            sectie_bekend = any(k.startswith(f"{sleutel}.") for k in _VELDEN)
            if not sectie_bekend:
                raise GebruikersFout(f"{pad}: onbekende sectie [{sleutel}]")
            for sub, subwaarde in waarde.items():
                _controleer_een(f"{sleutel}.{sub}", subwaarde, pad)
        else:
            _controleer_een(sleutel, waarde, pad)


def _controleer_een(sleutel: str, waarde: Any, pad: Path) -> None:
    veld = _VELDEN.get(sleutel)
    if veld is None:
        raise GebruikersFout(f"{pad}: onbekende instelling {_toon(sleutel)} "
                             "(zie docs/configuratie.md)")
    soort = veld.metadata["soort"]
    try:
        _omgezet(waarde, soort)
    except ValueError:
        raise GebruikersFout(f"{pad}: {_toon(sleutel)} moet {_soort_fout(soort)} zijn") from None


def _toon(sleutel: str) -> str:
    """`[smtp] host` for a key in a section, `database` for one at the top."""
    sectie, punt, naam = sleutel.rpartition(".")
    return f"[{sectie}] {naam}" if punt else naam


def _uit_bestand(config: Mapping[str, Any], sleutel: str) -> Any:
    sectie, punt, naam = sleutel.rpartition(".")
    if not punt:
        return config.get(naam)
    blok = config.get(sectie)
    return blok.get(naam) if isinstance(blok, Mapping) else None


def van(config: Mapping[str, Any]) -> Instellingen:
    """The typed settings: environment variable, else the (checked) file, else the default."""
    basis = Path(config[PAD_SLEUTEL]).absolute().parent if PAD_SLEUTEL in config else None
    waarden: dict[str, Any] = {}
    for veld in dataclasses.fields(Instellingen):
        soort, omgeving = veld.metadata["soort"], veld.metadata["omgeving"]
        uit_omgeving = os.environ.get(omgeving) if omgeving else None
        if uit_omgeving:
            try:
                waarde = _omgezet(uit_omgeving, soort, uit_tekst=True)
            except ValueError:
                raise GebruikersFout(f"{omgeving} moet {_soort_fout(soort)} zijn") from None
            waarden[veld.name] = Path(waarde) if soort == "pad" else waarde
            continue
        waarde = _uit_bestand(config, veld.metadata["toml"])
        if waarde is None or waarde == "":
            continue
        try:
            waarde = _omgezet(waarde, soort)
        except ValueError:  # a config dict made in code (tests, the demo), never checked
            raise GebruikersFout(f"{_toon(veld.metadata['toml'])} moet {_soort_fout(soort)} "
                                 "zijn") from None
        if soort == "pad":
            waarde = basis / waarde if basis is not None else Path(waarde)
        elif soort == "url" and basis is not None:
            waarde = _relatief_aan(waarde, basis)
        waarden[veld.name] = waarde
    return Instellingen(**waarden)


def _relatief_aan(url: str, basis: Path) -> str:
    """sqlite:///grjr.db named in a config file means grjr.db beside that file."""
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if url.startswith(prefix):
            rest = url.removeprefix(prefix)
            if rest and not rest.startswith("/") and not rest.startswith(":memory:"):
                return prefix + str((basis / rest).absolute())
    return url


def aangevuld(config: Mapping[str, Any], sleutel: str, waarde: Any) -> dict[str, Any]:
    """A copy of `config` with one declared setting set (the demo points agendas at its folder)."""
    _controleer_een(sleutel, waarde, Path("(intern)"))
    sectie, punt, naam = sleutel.rpartition(".")
    kopie = dict(config)
    if punt:
        blok = kopie.get(sectie)
        kopie[sectie] = {**(blok if isinstance(blok, Mapping) else {}), naam: waarde}
    else:
        kopie[naam] = waarde
    return kopie


def web(config: Mapping[str, Any]) -> Instellingen:
    """The web layer's one way in (workflow.web reads nothing of the config itself)."""
    return van(config)


def tabel() -> str:
    """docs/configuratie.md's table of every setting, generated from the declarations."""
    regels = ["| sleutel in `besluitroute.toml` | omgevingsvariabele | soort | standaard | "
              "betekenis |", "|---|---|---|---|---|"]
    for veld in dataclasses.fields(Instellingen):
        m = veld.metadata
        standaard = "—" if veld.default is None else f"`{_als_toml(veld.default)}`"
        regels.append(f"| `{_toon(m['toml'])}` | {_code(m['omgeving'])} | {m['soort']} | "
                      f"{standaard} | {m['uitleg']} |")
    for naam, uitleg in ((OMGEVING_CONFIG, "Het configuratiebestand. Optie: `--config`; "
                          "standaard `besluitroute.toml` in de huidige map als die er is."),
                         (OMGEVING_NU, "Handel alsof het dit moment is (Nederlandse tijd). "
                          "Optie: `--nu`."),
                         (OMGEVING_CACHE, "De cachemap (definities, feestdagen, hulp). "
                          "Standaard `~/.cache/besluitroute`.")):
        regels.append(f"| — | `{naam}` | tekst | — | {uitleg} |")
    return "\n".join(regels) + "\n"


def _code(tekst: str | None) -> str:
    return f"`{tekst}`" if tekst else "—"


def _als_toml(waarde: Any) -> str:
    if isinstance(waarde, bool):
        return "true" if waarde else "false"
    if isinstance(waarde, str):
        return f'"{waarde}"'
    return f"{waarde:g}" if isinstance(waarde, float) else str(waarde)


def configuratie_md(inleiding: str) -> str:
    """The whole page: the hand-written introduction, then the generated table."""
    return inleiding.rstrip() + "\n\n## Alle instellingen\n\n" + GEMAAKT + "\n\n" + tabel()


#: The line that separates docs/configuratie.md's prose from its generated table.
GEMAAKT = ("<!-- Gemaakt uit workflow/basis/instellingen.py: "
           "`.venv/bin/python -m workflow.basis.instellingen` -->")


if __name__ == "__main__":
    import sys

    doel = Path(__file__).resolve().parents[2] / "docs" / "configuratie.md"
    oud = doel.read_text(encoding="utf-8") if doel.exists() else ""
    inleiding = oud.split("## Alle instellingen", 1)[0]
    doel.write_text(configuratie_md(inleiding), encoding="utf-8")
    sys.stdout.write(f"{doel} bijgewerkt\n")
