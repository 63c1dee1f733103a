"""The weekly overview: one mail per secretary on the first working day of the week, with what
that secretary has to act on for their bodies (deadlines, dispatches, meetings of the coming
weeks, meetings passed without an outcome, messages the mail server refused for good in the week
before, messages skipped while no pass ran, Woo publications and meetings to archive). Pure:
plain data in, mails out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from workflow.basis import instellingen
from workflow.basis.clock import TZ
from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import citeer
from workflow.berichten.kern import (
    OP_VERGADERING,
    Bijeenkomst,
    Herinnering,
    Soort,
    op_tijd,
    punt_context,
    vergadering_context,
    werkdag_op_of_na,
)
from workflow.definities.model import Definities, Orgaan
from workflow.kalender import pcyclus, werkdagen


@dataclass(frozen=True, slots=True)
class Mislukt:
    """A message the mail server refused for good, for the weekly overview."""

    id: int
    soort: str
    aan: str
    onderwerp: str
    fout: str  #: the server's answer
    moment: datetime  #: when it failed, aware
    orgaan: str | None = None  #: the body of its meeting; None: every secretariat sees it


def termijn_context(t: pcyclus.Termijnstand) -> dict[str, Any]:
    """A dated duty of the P&C cycle as the overview, `week` and the board show it."""
    return {"orgaan": t.orgaan_naam, "omschrijving": t.omschrijving, "artikel": t.artikel,
            "uiterlijk": t.uiterlijk, "gedaan_op": t.gedaan_op, "kenmerk": t.kenmerk,
            "status": t.status}


def termijn_dringend(t: pcyclus.Termijnstand, tot: date) -> bool:
    """Whether a secretary must act on `t`: open and due by `tot`, or past and not done."""
    return t.status == pcyclus.VERLOPEN or (t.status == pcyclus.OPEN and t.uiterlijk <= tot)


def moment_weekoverzicht(nu: datetime, tijd: time) -> datetime:
    """The first working day of `nu`'s week (local) at `tijd`: Monday, or Tuesday after Easter
    Monday."""
    dag = nu.astimezone(TZ).date()
    return op_tijd(werkdag_op_of_na(dag - timedelta(days=dag.weekday())), tijd)


def per_secretaris(definities: Definities, sleutels: Iterable[str] | None = None
                   ) -> dict[str, list[Orgaan]]:
    """The bodies (all, or those of `sleutels`) per secretary's address, in key order: one
    weekly overview per secretary."""
    result: dict[str, list[Orgaan]] = defaultdict(list)
    for sleutel in sorted(definities.organen if sleutels is None else sleutels):
        orgaan = definities.organen[sleutel]
        result[orgaan.secretaris.email].append(orgaan)
    return result


def weekmoment(nu: datetime, organen: Iterable[Orgaan]) -> datetime:
    """When in `nu`'s week the overview of the secretary of `organen` is due: at the earliest
    reminder time of those bodies."""
    return moment_weekoverzicht(nu, min(o.herinneringen.tijd for o in organen))


def weeksleutels(definities: Definities, organen: Iterable[str], nu: datetime) -> set[str]:
    """The keys of the weekly overviews at `nu` of the secretaries of `organen`."""
    return {weeksleutel(weekmoment(nu, eigen), email)
            for email, eigen in per_secretaris(definities, organen).items()}


def weekoverzicht_organen(definities: Definities, nu: datetime, inhaaltermijn: timedelta,
                          gemaakt: Collection[str]) -> list[str]:
    """The bodies of every secretary whose weekly overview is due at `nu` and not among
    `gemaakt` (keys already in the outbox): the meetings a pass must read to compose them."""
    result: list[str] = []
    for email, organen in per_secretaris(definities).items():
        moment = weekmoment(nu, organen)
        if moment <= nu < moment + inhaaltermijn and weeksleutel(moment, email) not in gemaakt:
            result.extend(o.sleutel for o in organen)
    return sorted(result)


def weekvoorvoegsel(moment: datetime) -> str:
    """The start of the keys of the weekly overviews of `moment`'s ISO week."""
    jaar, week, _ = moment.astimezone(TZ).isocalendar()
    return f"{Soort.WEEKOVERZICHT.value}:{jaar}-W{week:02d}:"


def weeksleutel(moment: datetime, email: str) -> str:
    return weekvoorvoegsel(moment) + email


#: How far ahead an overview looks for something to act on: a deadline next week needs the
#: author asked this week.
VOORUITBLIK = timedelta(days=14)


def overzicht_volledig(config: Mapping[str, Any]) -> bool:
    """`[mail] overzicht = "volledig"`: list meetings with nothing on them too (default
    "beknopt": only meetings with proposals, and no overview about nothing)."""
    waarde = instellingen.van(config).mail_overzicht
    if waarde not in ("beknopt", "volledig"):
        raise GebruikersFout(f"[mail] overzicht moet 'beknopt' of 'volledig' zijn, niet "
                             f"{citeer(str(waarde))}")
    return bool(waarde == "volledig")


def _momenten_in(orgaan: Orgaan, m: Bijeenkomst, van: datetime,
                 tot: datetime) -> list[tuple[str, datetime]]:
    """The deadline, dispatch and meeting of `m` that fall in [van, tot), local."""
    wat: list[tuple[str, datetime]] = []
    deadline = werkdagen.aanlevermoment(orgaan, m.begin).astimezone(UTC)
    if van <= deadline - timedelta(seconds=1) < tot:
        wat.append(("aanleverdatum", (deadline - timedelta(days=1)).astimezone(TZ)))
    verzend = werkdagen.verzendmoment(orgaan, m.begin).astimezone(UTC)
    if van <= verzend < tot:
        wat.append(("verzending agenda", verzend.astimezone(TZ)))
    if van <= m.begin.astimezone(UTC) < tot:
        wat.append(("vergadering", m.begin.astimezone(TZ)))
    return wat


def _orgaanblok(orgaan: Orgaan, vergaderingen: Sequence[Bijeenkomst], van: datetime,
                tot: datetime, volledig: bool) -> dict[str, Any] | None:
    """One body's part of an overview: its lines in [van, tot) and its meetings passed without
    an outcome; None when it has nothing to act on."""
    regels: list[dict[str, Any]] = []
    achterstallig: list[dict[str, Any]] = []
    for m in vergaderingen:
        if m.geannuleerd:
            continue
        op = [p for p in m.punten if p.status in OP_VERGADERING]
        begin = m.begin.astimezone(UTC)
        # Planned items count: the meeting passed and the proposal is still open.
        open_ = op if orgaan.herinneringen.secretariaat_na_vergadering and begin < van else []
        wat = _momenten_in(orgaan, m, van, tot) if op or volledig else []
        if not wat and not open_:  # most meetings of the window: no context built
            continue
        ctx = {"vergadering": vergadering_context(orgaan, m), "kenmerken": [p.kenmerk for p in op]}
        regels.extend({**ctx, "wat": w, "moment": t} for w, t in wat)
        if open_:
            achterstallig.append({**ctx, "voorstellen": [punt_context(p) for p in open_]})
    if not regels and not achterstallig:
        return None
    regels.sort(key=lambda r: r["moment"])
    achterstallig.sort(key=lambda r: r["vergadering"]["begin"])
    return {"orgaan": orgaan.naam, "genoemd": orgaan.genoemd(), "regels": regels,
            "achterstallig": achterstallig}


def weekoverzichten(definities: Definities, vergaderingen: Sequence[Bijeenkomst],
                    nu: datetime, inhaaltermijn: timedelta,
                    mislukt: Sequence[Mislukt] = (),
                    overgeslagen: Sequence[dict[str, Any]] = (),
                    publicaties: Sequence[tuple[str, str]] = (),
                    gemaakt: Collection[str] = frozenset(),
                    archief: Sequence[tuple[str, str]] = (), *,
                    volledig: bool = False,
                    vooruit: timedelta = VOORUITBLIK,
                    termijnen: Sequence[pcyclus.Termijnstand] = ()) -> list[Herinnering]:
    """The weekly overviews due at `nu`, one per secretary with something to act on in the
    coming `vooruit`, grouped per body. Meetings with nothing on them are left out unless
    `volledig` (`[mail] overzicht = volledig`). `termijnen`: the P&C cycle's dated duties, listed
    for their body's secretary when due in the look-ahead or past and not done."""
    per_orgaan: dict[str, list[Bijeenkomst]] = defaultdict(list)
    for m in vergaderingen:
        per_orgaan[m.orgaan].append(m)
    result = []
    for email, organen in sorted(per_secretaris(definities).items()):
        moment = weekmoment(nu, organen)
        if not (moment <= nu < moment + inhaaltermijn) or weeksleutel(moment, email) in gemaakt:
            continue
        blokken = [b for o in organen if (b := _orgaanblok(
            o, per_orgaan.get(o.sleutel, []), moment, moment + vooruit, volledig)) is not None]
        meldingen = _meldingen(definities, organen, moment, nu, mislukt, overgeslagen,
                               publicaties, archief)
        laatste = (moment + vooruit - timedelta(days=1)).astimezone(TZ).date()
        meldingen["termijnen"] = [termijn_context(t) for t in termijnen
                                  if t.orgaan in {o.sleutel for o in organen}
                                  and termijn_dringend(t, laatste)]
        if not blokken and not any(meldingen.values()):
            continue
        result.append(_overzicht(organen, email, moment, vooruit, blokken, meldingen))
    return result


def _meldingen(definities: Definities, organen: Sequence[Orgaan], moment: datetime,
               nu: datetime, mislukt: Sequence[Mislukt],
               overgeslagen: Sequence[dict[str, Any]], publicaties: Sequence[tuple[str, str]],
               archief: Sequence[tuple[str, str]]) -> dict[str, list[Any]]:
    """What else the secretary of `organen` must act on: messages failed in the week before
    (of its bodies, or of no known body) or skipped, publications and archiving due."""
    eigen = {o.sleutel for o in organen}
    week_terug = moment - timedelta(days=7)
    return {
        "niet_afgeleverd": [_mislukt_context(f) for f in mislukt
                            if week_terug <= f.moment < moment
                            and (f.orgaan in eigen or f.orgaan not in definities.organen)],
        "overgeslagen": sorted((g for g in overgeslagen if g["orgaan"] in eigen
                                and week_terug <= g["vastgelegd"] <= nu),
                               key=lambda g: (g["moment"], g["sleutel"])),
        "publicaties": [tekst for orgaan, tekst in publicaties if orgaan in eigen],
        "archief": [tekst for orgaan, tekst in archief if orgaan in eigen],
    }


def _overzicht(organen: Sequence[Orgaan], email: str, moment: datetime, vooruit: timedelta,
               blokken: list[dict[str, Any]], meldingen: dict[str, list[Any]]) -> Herinnering:
    regels = sorted((r for b in blokken for r in b["regels"]),
                    key=lambda r: (r["moment"], r["vergadering"]["orgaan"]))
    achterstallig = sorted((a for b in blokken for a in b["achterstallig"]),
                           key=lambda r: r["vergadering"]["begin"])
    jaar, week, _ = moment.astimezone(TZ).isocalendar()
    secretaris = organen[0].secretaris
    return Herinnering(
        sleutel=weeksleutel(moment, email),
        soort=Soort.WEEKOVERZICHT, moment=moment, aan=secretaris,
        sjabloon=f"mail/{Soort.WEEKOVERZICHT.value}",
        context={
            "soort": Soort.WEEKOVERZICHT.value,
            "ontvanger": secretaris.naam,
            "week": week, "jaar": jaar,
            "van": moment.astimezone(TZ),
            "tot": (moment + vooruit - timedelta(days=1)).astimezone(TZ),
            "organen": [o.naam for o in organen],
            #: Per body with something to act on, in key order.
            "blokken": blokken,
            "regels": regels,
            "achterstallig": achterstallig,
            **meldingen,
            "kenmerken": sorted({k for r in regels + achterstallig for k in r["kenmerken"]}),
        },
    )


def weekoverzicht_open(definities: Definities, nu: datetime, inhaaltermijn: timedelta) -> bool:
    """Whether some secretary's weekly overview is due at `nu` (so its facts are worth
    gathering)."""
    tijden = {o.herinneringen.tijd for o in definities.organen.values()}
    return any(moment_weekoverzicht(nu, t) <= nu < moment_weekoverzicht(nu, t) + inhaaltermijn
               for t in tijden)


def _mislukt_context(f: Mislukt) -> dict[str, Any]:
    return {"id": f.id, "soort": f.soort, "aan": f.aan, "onderwerp": f.onderwerp,
            "fout": f.fout, "moment": f.moment.astimezone(TZ)}
