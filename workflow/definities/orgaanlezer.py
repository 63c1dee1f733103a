"""One file in organen/ -> an Orgaan: members, meetings and rhythms, agenda items, duties, reminders.

Each part of the file has its own reader; read_orgaan calls them in the order of the file's
schema (so the errors come out in that order) and is the one place where the Orgaan is built.
"""

from __future__ import annotations

import sys
from datetime import date, time
from typing import Any

from workflow.basis import grenzen
from workflow.definities import (
    besluitregels,
    deelnemers,
    organisatie,
    publicatie,
    termijnen,
    yamlbron,
)
from workflow.definities.lezer import (
    _bool,
    _date,
    _email,
    _enum,
    _int,
    _key,
    _Lezer,
    _naam,
    _Ongeldig,
    _rrule,
    _safe,
    _text,
    _time,
)
from workflow.definities.model import (
    STANDAARD_VASTE_PUNTEN_NA,
    STANDAARD_VASTE_PUNTEN_VOOR,
    Feestdagregel,
    Herinneringsregels,
    Lid,
    LidRol,
    Orgaan,
    Persoon,
    Ritme,
    VergaderingRegel,
    Verplaatsing,
    Verplichting,
)

_ORGAAN_KEYS = {
    "sleutel", "naam", "afkorting", "secretaris", "leden", "aanleveren_werkdagen",
    "verzenden_dagen", "standaard_tijd", "standaard_plaats", "duur_minuten", "vergaderingen",
    "ritmes", "afgelast", "verplaatst", "feestdagen", "vaste_agendapunten", "verplichtingen",
    "herinneringen", "openbaar", "soort", "publicatie", "lidwoord", "opstellers",
    "advies_openbaar", "organisatie", "archief", "quorum", "deelnemers", "termijnen",
    "aanhef",
}
LIDWOORDEN = ("de", "het")
AANHEFFEN = ("Beste", "Geachte")


def _aanhef(value: Any) -> str:
    text = str(value).strip()
    if text not in AANHEFFEN:
        raise _Ongeldig(f"ongeldige aanhef '{text}' (kies 'Beste' of 'Geachte')")
    return text


def _lidwoord(value: Any) -> str:
    text = str(value).strip()
    if text not in LIDWOORDEN:
        raise _Ongeldig(f"ongeldig lidwoord '{text}' (kies 'de' of 'het')")
    return text


def read_orgaan(lezer: _Lezer, root: Any) -> Orgaan | None:
    node = lezer.mapping(root, 1, "een orgaanbestand")
    if node is None:
        return None
    lezer.unknown_keys(node, _ORGAAN_KEYS)
    sleutel = lezer.field(node, "sleutel", _key, required=True)
    naam = lezer.field(node, "naam", _naam, required=True)
    afkorting = lezer.field(node, "afkorting", _naam, naam)
    secretaris = lezer.field(node, "secretaris", lambda v: _persoon(lezer, v, node), required=True)
    leden = _leden(lezer, node)
    opstellers = _opstellers(lezer, node)
    vergaderingen = _vergaderingen(lezer, node)
    ritmes = _ritmes(lezer, node)
    afgelast_regels = _afgelast(lezer, node)
    verplaatst, verplaats_regels = _verplaatst(lezer, node)
    voor, na = _vaste_punten(lezer, node)
    verplichtingen = _verplichtingen(lezer, node)
    herinneringen = _herinneringen(lezer, node)

    if not (sleutel and naam and secretaris):
        return None
    soort, publicatieregels = publicatie.lees(lezer, node)
    eigenaar, uitgever, archief = organisatie.lees(lezer, node)
    orgaan = Orgaan(
        sleutel=sleutel,
        naam=naam,
        afkorting=afkorting or naam,
        secretaris=secretaris,
        leden=tuple(leden),
        aanleveren_werkdagen=lezer.field(node, "aanleveren_werkdagen",
                                         _int(0, grenzen.MAX_AANLEVEREN_WERKDAGEN), 5) or 0,
        verzenden_dagen=lezer.field(node, "verzenden_dagen",
                                    _int(0, grenzen.MAX_VERZENDEN_DAGEN), 7) or 0,
        standaard_tijd=lezer.field(node, "standaard_tijd", _time, time(10, 0)) or time(10, 0),
        standaard_plaats=lezer.field(node, "standaard_plaats", _naam, "") or "",
        duur_minuten=lezer.field(node, "duur_minuten", _int(1, grenzen.MAX_DUUR_MINUTEN), 120)
        or 120,
        vergaderingen=tuple(sorted(vergaderingen, key=lambda v: v.datum)),
        ritmes=tuple(ritmes),
        afgelast=tuple(dag for dag, _ in afgelast_regels),
        verplaatst=tuple(verplaatst),
        feestdagen=lezer.field(node, "feestdagen", _enum(Feestdagregel, "feestdagregel"),
                               Feestdagregel.OVERSLAAN) or Feestdagregel.OVERSLAAN,
        vaste_punten_voor=voor,
        vaste_punten_na=na,
        verplichtingen=tuple(verplichtingen),
        herinneringen=herinneringen,
        openbaar=bool(lezer.field(node, "openbaar", _bool, False)),
        soort=soort, publicatie=publicatieregels,
        lidwoord=lezer.field(node, "lidwoord", _lidwoord, "de") or "de",
        aanhef=lezer.field(node, "aanhef", _aanhef, None),
        opstellers=tuple(opstellers),
        advies_openbaar_gegeven=lezer.field(node, "advies_openbaar", _bool, None),
        organisatie=eigenaar, uitgever=uitgever, archief=archief,
        quorum=besluitregels.lees_quorum(lezer, node, soort),
        deelnemers=deelnemers.lees(lezer, node), termijnen=termijnen.lees(lezer, node),
    )
    _check_calendar(lezer, orgaan, afgelast_regels, verplaats_regels)
    return orgaan


def _persoon(lezer: _Lezer, value: Any, parent: yamlbron.Mapping_) -> Persoon:
    if not isinstance(value, yamlbron.Mapping_):
        raise _Ongeldig("verwacht 'naam' en 'email'")
    lezer.unknown_keys(value, {"naam", "email"})
    naam = lezer.field(value, "naam", _naam, required=True)
    email = lezer.field(value, "email", _email, required=True)
    if not (naam and email):
        raise _Ongeldig("onvolledig")
    return Persoon(naam, email)


def _opstellers(lezer: _Lezer, node: yamlbron.Mapping_) -> list[Persoon]:
    """`opstellers:`, each with `naam` and `email` (checked as a member's address)."""
    result: list[Persoon] = []
    for item, line in lezer.items(node, "opstellers"):
        persoon = lezer.mapping(item, line, "een opsteller")
        if persoon is None:
            continue
        lezer.unknown_keys(persoon, {"naam", "email"})
        naam = lezer.field(persoon, "naam", _naam, required=True)
        email = lezer.field(persoon, "email", _email, required=True)
        if naam and email:
            result.append(Persoon(naam, email))
    return result


def _leden(lezer: _Lezer, node: yamlbron.Mapping_) -> list[Lid]:
    leden: list[Lid] = []
    for item, line in lezer.items(node, "leden"):
        lid = lezer.mapping(item, line, "een lid")
        if lid is None:
            continue
        lezer.unknown_keys(lid, {"naam", "email", "rol", "organisatie", "stemmen"})
        lid_naam = lezer.field(lid, "naam", _naam, required=True)
        email = lezer.field(lid, "email", _email, required=True)
        rol = lezer.field(lid, "rol", _enum(LidRol, "rol"), LidRol.LID)
        organisatie = lezer.field(lid, "organisatie", _naam, "")
        stemmen = besluitregels.lees_stemmen(lezer, lid, rol in (LidRol.VOORZITTER, LidRol.LID))
        if lid_naam and email and rol:
            # Most members share their organisation: one string object for all of them, which
            # the pickled definitions keep shared (~0.7 MB less in the planner, national scale).
            leden.append(Lid(lid_naam, email, rol, sys.intern(organisatie or ""), stemmen))
    return leden


def _vergaderingen(lezer: _Lezer, node: yamlbron.Mapping_) -> list[VergaderingRegel]:
    """Single meetings: a bare date, or a mapping with time, place, key, cancellation, remark."""
    vergaderingen: list[VergaderingRegel] = []
    for item, line in lezer.items(node, "vergaderingen"):
        if not isinstance(item, dict):
            item_datum = _safe(lezer, line, _date, item)
            if item_datum:
                vergaderingen.append(VergaderingRegel(item_datum))
            continue
        v = lezer.mapping(item, line, "een vergadering")
        if v is None:
            continue
        lezer.unknown_keys(v, {"datum", "tijd", "plaats", "sleutel", "geannuleerd", "opmerking"})
        v_datum = lezer.field(v, "datum", _date, required=True)
        entry = VergaderingRegel(
            datum=v_datum or date.min,
            tijd=lezer.field(v, "tijd", _time),
            plaats=lezer.field(v, "plaats", _naam),
            sleutel=lezer.field(v, "sleutel", _key),
            geannuleerd=lezer.field(v, "geannuleerd", _bool, False) or False,
            opmerking=lezer.field(v, "opmerking", _text, "") or "",
        )
        if v_datum:
            vergaderingen.append(entry)
    seen: dict[tuple[date, str | None], int] = {}
    for entry in vergaderingen:
        ident = (entry.datum, entry.sleutel)
        if ident in seen:
            lezer.error(node.sleutelregels["vergaderingen"],
                        f"vergadering op {entry.datum.isoformat()} staat dubbel in de lijst")
        seen[ident] = 1
    return vergaderingen


def _ritmes(lezer: _Lezer, node: yamlbron.Mapping_) -> list[Ritme]:
    ritmes: list[Ritme] = []
    for item, line in lezer.items(node, "ritmes"):
        r = lezer.mapping(item, line, "een ritme")
        if r is None:
            continue
        lezer.unknown_keys(r, {"regel", "vanaf", "tot", "tijd", "plaats", "bron"})
        regel = lezer.field(r, "regel", _rrule, required=True)
        vanaf = lezer.field(r, "vanaf", _date, required=True)
        tot = lezer.field(r, "tot", _date)
        if vanaf and tot and tot < vanaf:
            lezer.error(r.sleutelregels["tot"], "'tot' ligt voor 'vanaf'")
        if regel and vanaf:
            ritmes.append(Ritme(regel, vanaf, tot, lezer.field(r, "tijd", _time),
                                lezer.field(r, "plaats", _naam),
                                lezer.field(r, "bron", _text, "") or ""))
    return ritmes


def _afgelast(lezer: _Lezer, node: yamlbron.Mapping_) -> list[tuple[date, int]]:
    """The cancelled dates with their line (checked against the calendar at the end)."""
    afgelast_regels: list[tuple[date, int]] = []
    for item, line in lezer.items(node, "afgelast"):
        afgelast_dag = _safe(lezer, line, _date, item)
        if afgelast_dag:
            afgelast_regels.append((afgelast_dag, line))
    return afgelast_regels


def _verplaatst(lezer: _Lezer,
                node: yamlbron.Mapping_) -> tuple[list[Verplaatsing], list[tuple[date, int]]]:
    """The moved meetings, and their `van` dates with line (checked against the calendar)."""
    verplaats_regels: list[tuple[date, int]] = []
    verplaatst: list[Verplaatsing] = []
    for item, line in lezer.items(node, "verplaatst"):
        m = lezer.mapping(item, line, "een verplaatsing")
        if m is None:
            continue
        lezer.unknown_keys(m, {"van", "naar", "tijd", "plaats"})
        van = lezer.field(m, "van", _date, required=True)
        naar = lezer.field(m, "naar", _date, required=True)
        if van and naar:
            verplaatst.append(Verplaatsing(van, naar, lezer.field(m, "tijd", _time),
                                           lezer.field(m, "plaats", _naam)))
            verplaats_regels.append((van, m.sleutelregels["van"]))
    return verplaatst, verplaats_regels


def _vaste_punten(lezer: _Lezer, node: yamlbron.Mapping_) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The fixed agenda items before and after the proposals (a default when not given)."""
    voor: tuple[str, ...] = STANDAARD_VASTE_PUNTEN_VOOR
    na: tuple[str, ...] = STANDAARD_VASTE_PUNTEN_NA
    if "vaste_agendapunten" in node:
        vast = lezer.mapping(node["vaste_agendapunten"], node.sleutelregels["vaste_agendapunten"],
                             "'vaste_agendapunten'")
        if vast is not None:
            lezer.unknown_keys(vast, {"voor", "na"})
            voor = tuple(_safe(lezer, line, _naam, item) or "" for item, line in
                         lezer.items(vast, "voor")) if "voor" in vast else voor
            na = tuple(_safe(lezer, line, _naam, item) or "" for item, line in
                       lezer.items(vast, "na")) if "na" in vast else na
    return voor, na


def _verplichtingen(lezer: _Lezer, node: yamlbron.Mapping_) -> list[Verplichting]:
    verplichtingen: list[Verplichting] = []
    for item, line in lezer.items(node, "verplichtingen"):
        m = lezer.mapping(item, line, "een verplichting")
        if m is None:
            continue
        lezer.unknown_keys(m, {"omschrijving", "minimaal_per_jaar", "onderwerp", "vanaf", "tot",
                               "bron"})
        omschrijving = lezer.field(m, "omschrijving", _text, required=True)
        aantal = lezer.field(m, "minimaal_per_jaar", _int(1, grenzen.MAX_PER_JAAR), required=True)
        vanaf, tot = lezer.field(m, "vanaf", _date), lezer.field(m, "tot", _date)
        if vanaf and tot and tot < vanaf:
            lezer.error(m.sleutelregels["tot"], "'tot' ligt voor 'vanaf'")
        if omschrijving and aantal:
            verplichtingen.append(Verplichting(omschrijving, aantal,
                                               lezer.field(m, "onderwerp", _key), vanaf, tot,
                                               lezer.field(m, "bron", _text, "") or ""))
    return verplichtingen


def _herinneringen(lezer: _Lezer, node: yamlbron.Mapping_) -> Herinneringsregels:
    herinneringen = Herinneringsregels()
    if "herinneringen" in node:
        h = lezer.mapping(node["herinneringen"], node.sleutelregels["herinneringen"],
                          "'herinneringen'")
        if h is not None:
            d = Herinneringsregels()
            lezer.unknown_keys(h, set(Herinneringsregels.__dataclass_fields__))
            herinneringen = Herinneringsregels(
                opsteller_werkdagen_voor_aanlevering=lezer.field(
                    h, "opsteller_werkdagen_voor_aanlevering",
                    _int(0, grenzen.MAX_AANLEVEREN_WERKDAGEN),
                    d.opsteller_werkdagen_voor_aanlevering) or 0,
                opsteller_bij_verstreken_aanlevering=bool(lezer.field(
                    h, "opsteller_bij_verstreken_aanlevering", _bool,
                    d.opsteller_bij_verstreken_aanlevering)),
                leden_bij_verzending=bool(lezer.field(h, "leden_bij_verzending", _bool,
                                                      d.leden_bij_verzending)),
                leden_dag_ervoor=bool(lezer.field(h, "leden_dag_ervoor", _bool,
                                                  d.leden_dag_ervoor)),
                secretariaat_na_vergadering=bool(lezer.field(
                    h, "secretariaat_na_vergadering", _bool, d.secretariaat_na_vergadering)),
                tijd=lezer.field(h, "tijd", _time, d.tijd) or d.tijd,
            )
    return herinneringen


def _check_calendar(lezer: _Lezer, orgaan: Orgaan, afgelast: list[tuple[date, int]],
                    verplaatst: list[tuple[date, int]]) -> None:
    """`afgelast` and `verplaatst.van` must name a meeting the calendar has (definities/ritme.py)."""
    from workflow.definities import ritme

    if not (afgelast or verplaatst):
        return
    try:
        onbekend_afgelast, onbekend_verplaatst = ritme.onbekende_data(orgaan)
    except (ValueError, TypeError):
        return  # a broken rhythm is reported on its own line already
    for wat, regels, onbekend in (("afgelast", afgelast, onbekend_afgelast),
                                  ("verplaatst", verplaatst, onbekend_verplaatst)):
        for dag, line in regels:
            if dag in onbekend:
                buren = ", ".join(d.isoformat() for d in ritme.dichtstbijzijnde(orgaan, dag))
                lezer.error(line, f"'{wat}': op {dag.isoformat()} heeft {orgaan.naam} geen "
                                  f"vergadering" + (f" (dichtstbij: {buren})" if buren else ""))
