"""Composing agendas, decision lists (besluitenlijsten) and cover sheets. Pure: plain data in,
plain data out; no database, no clock, no files.

An agenda is the body's fixed items before (opening, mededelingen, ...), then the proposals grouped
by their role at this step (ter besluitvorming, ter advisering, ter consultatie, ter informatie),
then the fixed items after (rondvraag, sluiting). Every item gets one number, counted straight
through; within a group proposals are ordered by kenmerk, late ones (nagekomen) last, so the same
data always gives the same numbers. The data in and out is in workflow/agenda/model.py; the
loaders that build the input from the database live in workflow/agenda/laden.py, the snapshot
and its changes (the aanvulling) in workflow/agenda/aanvulling.py.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from workflow.agenda.model import (
    Aanmelding,
    Adviesregel,
    Afwezige,
    Agenda,
    Behandeling,
    Beslispunt,
    Besluitenlijst,
    Besluitregel,
    Bespreking,
    Documentregel,
    Presentieoverzicht,
    Rubriek,
    VastPunt,
    Vergaderinfo,
    Vergaderkop,
    Voorblad,
    Voorstelgegevens,
    Voorstelpunt,
)
from workflow.basis.clock import TZ
from workflow.basis.tekst import datum, een_regel
from workflow.definities.model import (
    ADVIES_UITKOMSTEN,
    Lid,
    LidRol,
    Orgaan,
    Route,
    StapRol,
    Stapsoort,
    Uitkomst,
)
from workflow.voorstellen.documenten import Document
from workflow.voorstellen.takken import Zienswijzeregel

#: The order of the groups on an agenda.
ROL_VOLGORDE = (StapRol.BESLUIT, StapRol.AANBIEDEN, StapRol.ADVIES, StapRol.CONSULTATIE,
               StapRol.INFORMATIE)

#: Outcomes whose text is quoted on the agendas of later bodies.
GECITEERDE_UITKOMSTEN = ADVIES_UITKOMSTEN | {Uitkomst.KENNISGENOMEN}


# ---------------------------------------------------------------------------------------------
# Composition.

def regel(tekst: str) -> str:
    """Text meant for one line (a title, a name): control characters, newlines and runs of
    spaces become one space."""
    return een_regel(tekst)


def _kenmerk_sleutel(kenmerk: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order: 2021-9 before 2021-10; text parts compare as text."""
    return tuple((0, int(part)) if part.isdigit() else (1, part)
                 for part in re.split(r"(\d+)", kenmerk) if part)


def adviezen(behandelingen: Iterable[Behandeling], *, voor_stap: int | None = None,
             voor: datetime | None = None) -> tuple[Adviesregel, ...]:
    """The advice given at earlier steps (before step `voor_stap`, before moment `voor`), in route
    order and, within a step, in time order."""
    gekozen = [b for b in behandelingen
               if b.status == "behandeld" and b.uitkomst in GECITEERDE_UITKOMSTEN
               and (voor_stap is None or b.stap_index < voor_stap)
               and (voor is None or b.begin < voor)]
    gekozen.sort(key=lambda b: (b.stap_index, b.begin))
    return tuple(_adviesregel(b) for b in gekozen)


def voorbehoud(a: Aanmelding) -> str:
    """What a planned item waits for: the earlier steps still open, each at its meeting."""
    wachtend = sorted((b for b in a.behandelingen
                       if b.stap_index < a.stap_index and b.status in ("gepland", "geagendeerd")),
                      key=lambda b: (b.begin, b.stap_index))
    if not wachtend:
        return "onder voorbehoud van het advies van een eerdere stap"
    delen = [f"{b.lidwoord} {regel(b.orgaan)} van {datum(b.begin.astimezone(TZ).date())}" for b in wachtend]
    opsomming = delen[0] if len(delen) == 1 else ", ".join(delen[:-1]) + " en " + delen[-1]
    return f"onder voorbehoud van het advies van {opsomming}"


def _adviesregel(b: Behandeling) -> Adviesregel:
    assert b.uitkomst is not None
    dag = b.begin.astimezone(TZ).date()
    tekst = b.tekst.strip()
    # In a griffie's words per role: the college offers its raadsvoorstel (no advice of its
    # own, no "Akkoord"); a consultation was heard ("kennisgenomen"), it gave no advice.
    if b.rol is StapRol.AANBIEDEN:
        kop = f"{regel(b.aangeboden_als) or f'Voorstel van {b.lidwoord} {regel(b.orgaan)}'}, " \
              f"{datum(dag)}"
        tekst = ""
    elif b.rol is StapRol.CONSULTATIE:
        kop = f"Consultatie {regel(b.orgaan)}, {datum(dag)}"
        if b.uitkomst is not Uitkomst.POSITIEF:
            kop += f" ({b.uitkomst.label})"
    else:
        kop = f"Advies {regel(b.orgaan)}, {datum(dag)}"
        if b.uitkomst is not Uitkomst.POSITIEF:
            kop += f" ({b.uitkomst.label})"
    return Adviesregel(orgaan=regel(b.orgaan), datum=dag, uitkomst=b.uitkomst.label, tekst=tekst,
                       citaat=f"{kop}: {tekst}" if tekst else kop)


def _documentregels(documenten: Iterable[Document]) -> tuple[Documentregel, ...]:
    return tuple(Documentregel(naam=regel(d.naam), versie=d.versie, omvang=d.omvang,
                               sha256=d.sha256, omschrijving=regel(d.omschrijving))
                 for d in sorted(documenten, key=lambda d: (d.naam.casefold(), d.naam)))


def _kop(v: Vergaderinfo) -> Vergaderkop:
    return Vergaderkop(id=v.id, orgaan=v.orgaan.naam, afkorting=v.orgaan.afkorting,
                       begin=v.begin, plaats=regel(v.plaats), geannuleerd=v.geannuleerd,
                       opmerking=v.opmerking.strip(), secretaris=v.orgaan.secretaris.naam,
                       genoemd=v.orgaan.genoemd())


def _ordered(aanmeldingen: Iterable[Aanmelding]) -> dict[StapRol, list[Aanmelding]]:
    groups: dict[StapRol, list[Aanmelding]] = {rol: [] for rol in ROL_VOLGORDE}
    for a in aanmeldingen:
        groups[a.rol].append(a)
    for items in groups.values():
        items.sort(key=lambda a: (a.nagekomen, _kenmerk_sleutel(a.kenmerk), a.stap_index))
    return groups


def stel_agenda_samen(vergadering: Vergaderinfo, aanmeldingen: Iterable[Aanmelding]) -> Agenda:
    """The agenda of `vergadering` with these proposals on it."""
    nummer = 0

    def volgende() -> int:
        nonlocal nummer
        nummer += 1
        return nummer

    voor = tuple(VastPunt(volgende(), t) for t in vergadering.orgaan.vaste_punten_voor)
    rubrieken: list[Rubriek] = []
    for rol, items in _ordered(aanmeldingen).items():
        if not items:
            continue
        punten = tuple(
            Voorstelpunt(
                nummer=volgende(), kenmerk=a.kenmerk, titel=regel(a.titel),
                opsteller=regel(a.opsteller), rol=rol.label,
                beslispunten=tuple(sorted(a.beslispunten, key=lambda p: p.nummer)),
                documenten=_documentregels(a.documenten), nagekomen=a.nagekomen,
                adviezen=adviezen(a.behandelingen, voor_stap=a.stap_index,
                                  voor=vergadering.begin),
                uitkomst=a.uitkomst.label if a.uitkomst is not None else "",
                uitkomst_tekst=a.uitkomst_tekst.strip(),
                voorbehoud=voorbehoud(a) if a.gepland else "",
                zienswijzen=a.zienswijzen,
            )
            for a in items
        )
        rubrieken.append(Rubriek(rol=rol.label, titel=rol.label.capitalize(), punten=punten))
    na = tuple(VastPunt(volgende(), t) for t in vergadering.orgaan.vaste_punten_na)
    return Agenda(vergadering=_kop(vergadering), voor=voor, rubrieken=tuple(rubrieken), na=na)


def presentie(vergadering: Vergaderinfo, *, met_redenen: bool) -> Presentieoverzicht | None:
    """Who attended, for the decision list; the reasons of absence only `met_redenen` (they are
    not public: the portal and the archive leave them out)."""
    a = vergadering.aanwezigheid
    if a is None:
        return None

    def rol(lid: Lid) -> str:
        return "" if lid.rol is LidRol.LID else lid.rol.value

    def naam(lid: Lid) -> str:
        return f"{lid.naam} ({rol(lid)})" if rol(lid) else lid.naam

    afwezig = tuple(Afwezige(naam(x.lid), (x.reden or "zonder bericht") if met_redenen else "")
                    for x in a.afwezig)
    return Presentieoverzicht(
        aanwezig=tuple(naam(lid) for lid in a.aanwezig),
        vervangers=tuple(f"{v.vervanger} namens {v.lid.naam}" for v in a.vervangen),
        afwezig=afwezig,
        # "Bestuurssecretaris GR JR (secretaris, ziek)": one pair of brackets.
        afwezig_regels=tuple(f"{x.lid.naam} ({', '.join(d for d in (rol(x.lid), r.reden) if d)})"
                             if rol(x.lid) or r.reden else x.lid.naam
                             for x, r in zip(a.afwezig, afwezig, strict=True)),
        quorum=vergadering.quorum.melding if vergadering.quorum and vergadering.quorum.nodig
        else "",
        quorum_gehaald=vergadering.quorum.gehaald if vergadering.quorum else True,
    )


def uitslag(punt: Beslispunt) -> str:
    """The besluit with its votes: "aangenomen met 7 tegen 2 stemmen", "aangenomen zonder
    stemming", "gewijzigd aangenomen; aangenomen met 5 tegen 2 stemmen"."""
    stem = punt.stemming.uitslag if punt.stemming is not None else ""
    if not punt.besluit or stem.startswith(punt.besluit):
        return stem or (punt.besluit or "")
    return f"{punt.besluit}; {stem}" if stem else punt.besluit


def _zienswijzen_kort(zienswijzen: Iterable[Zienswijzeregel]) -> str:
    """'na zienswijzen van 3 van de 10 raden (1 te laat)' for the decision list."""
    alle = list(zienswijzen)
    if not alle:
        return ""
    ontvangen = [z for z in alle if z.datum is not None]
    laat = sum(1 for z in ontvangen if z.te_laat)
    return (f"na zienswijzen van {len(ontvangen)} van de {len(alle)} raden"
            + (f" ({laat} te laat)" if laat else ""))


def stel_besluitenlijst_samen(vergadering: Vergaderinfo, aanmeldingen: Iterable[Aanmelding],
                              *, met_redenen: bool = False) -> Besluitenlijst:
    """The decisions and advice of `vergadering`, numbered as on its agenda (items that stayed
    onder voorbehoud were not treated and are left out), with who attended."""
    agenda = stel_agenda_samen(vergadering, aanmeldingen)
    besluiten = [
        Besluitregel(
            nummer=punt.nummer, kenmerk=punt.kenmerk, titel=punt.titel, rol=punt.rol,
            behandeld=bool(punt.uitkomst), uitkomst=punt.uitkomst, tekst=punt.uitkomst_tekst,
            beslispunten=tuple(dataclasses.replace(p, uitslag=uitslag(p)) for p in punt.beslispunten)
            if punt.rol == StapRol.BESLUIT.label else (),
            zienswijzen=_zienswijzen_kort(punt.zienswijzen),
        )
        for punt in agenda.voorstellen if not punt.voorbehoud
    ]
    return Besluitenlijst(vergadering=agenda.vergadering, besluiten=tuple(besluiten),
                          open=sum(1 for b in besluiten if not b.behandeld),
                          presentie=presentie(vergadering, met_redenen=met_redenen))


def stel_voorblad_samen(voorstel: Voorstelgegevens, route: Route,
                        organen: Mapping[str, Orgaan]) -> Voorblad:
    """The cover sheet in the seed's house format, "Te bespreken in" one row per route step."""
    rijen = []
    # The advisers of a `tegelijk` step each on a row; a zienswijze step one row for the councils.
    for stap in [s for groep in route.stappen for s in (
            [groep.takstap(t.id) for t in groep.takken]
            if groep.soort is Stapsoort.TEGELIJK else [groep])]:
        if stap.soort is Stapsoort.ZIENSWIJZE:
            rijen.append(Bespreking(orgaan=f"de raden van {len(stap.takken)} deelnemers",
                                    rol="ter zienswijze", datum=None, status="", uitkomst=""))
            continue
        kandidaten = [b for b in voorstel.behandelingen
                      if b.stap == stap.id and b.status != "vervallen"]
        # After a postponement or a new round the latest meeting for the step is the one that counts.
        gekozen = max(kandidaten, key=lambda b: b.begin, default=None)
        orgaan = organen.get(stap.orgaan)
        rijen.append(Bespreking(
            orgaan=orgaan.naam if orgaan else stap.orgaan, rol=stap.rol.label,
            datum=gekozen.begin.astimezone(TZ).date() if gekozen else None,
            status=gekozen.status if gekozen else "",
            uitkomst=gekozen.uitkomst.label if gekozen and gekozen.uitkomst else "",
        ))
    opdrachtgever = organen.get(voorstel.in_opdracht_van)
    return Voorblad(
        kenmerk=voorstel.kenmerk, aan=voorstel.aan.strip(), van=voorstel.van.strip(),
        datum=voorstel.datum, onderwerp=regel(voorstel.titel), status=voorstel.documentstatus,
        versie=regel(voorstel.versie),
        in_opdracht_van=opdrachtgever.naam if opdrachtgever else voorstel.in_opdracht_van,
        opgesteld_door=regel(voorstel.opsteller), toestand=voorstel.toestand,
        te_bespreken_in=tuple(rijen),
        korte_data=all(r.datum is None or r.datum.year == voorstel.datum.year for r in rijen),
        beslispunten=tuple(sorted(voorstel.beslispunten, key=lambda p: p.nummer)),
        documenten=_documentregels(voorstel.documenten),
        adviezen=adviezen(voorstel.behandelingen),
    )



def context(waarde: Any) -> Any:
    """Plain data for a template: dataclasses become dicts, tuples lists, enums their value."""
    if dataclasses.is_dataclass(waarde) and not isinstance(waarde, type):
        return {f.name: context(getattr(waarde, f.name)) for f in dataclasses.fields(waarde)}
    if isinstance(waarde, tuple | list):
        return [context(v) for v in waarde]
    if isinstance(waarde, Enum):
        return str(waarde.value)
    if isinstance(waarde, dict):
        return {str(k): context(v) for k, v in waarde.items()}
    return waarde
