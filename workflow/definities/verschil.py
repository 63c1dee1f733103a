"""The difference between two versions of the definitions, in Dutch lines for a preview. Pure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workflow.definities import model as definitiemodel
from workflow.definities.model import Definities, Orgaan, Route

if TYPE_CHECKING:

    pass



def _tijd(value: object) -> str:
    return "" if value is None else str(value)[:5]


def _ritme(r: definitiemodel.Ritme) -> str:
    tekst = f"{r.regel} vanaf {r.vanaf.isoformat()}"
    if r.tot:
        tekst += f" tot {r.tot.isoformat()}"
    if r.tijd:
        tekst += f" om {_tijd(r.tijd)}"
    if r.plaats:
        tekst += f" in {r.plaats}"
    return tekst


def _orgaan_verschil(oud: Orgaan, nieuw: Orgaan) -> list[str]:
    regels: list[str] = []
    oude_leden = {lid.email: lid for lid in oud.leden}
    nieuwe_leden = {lid.email: lid for lid in nieuw.leden}
    for email in sorted(nieuwe_leden.keys() - oude_leden.keys()):
        lid = nieuwe_leden[email]
        regels.append(f"lid toegevoegd: {lid.naam} <{email}> ({lid.rol.value})")
    for email in sorted(oude_leden.keys() - nieuwe_leden.keys()):
        regels.append(f"lid verwijderd: {oude_leden[email].naam} <{email}>")
    for email in sorted(oude_leden.keys() & nieuwe_leden.keys()):
        a, b = oude_leden[email], nieuwe_leden[email]
        if a != b:
            regels.append(f"lid gewijzigd: {b.naam} <{email}> ({b.rol.value}, {b.organisatie})")
    if oud.secretaris != nieuw.secretaris:
        regels.append(f"secretaris: {oud.secretaris.naam} <{oud.secretaris.email}> -> "
                      f"{nieuw.secretaris.naam} <{nieuw.secretaris.email}>")
    oude_ritmes = {(r.regel, r.vanaf): r for r in oud.ritmes}
    nieuwe_ritmes = {(r.regel, r.vanaf): r for r in nieuw.ritmes}
    for key in sorted(nieuwe_ritmes.keys() - oude_ritmes.keys()):
        regels.append(f"ritme toegevoegd: {_ritme(nieuwe_ritmes[key])}")
    for key in sorted(oude_ritmes.keys() - nieuwe_ritmes.keys()):
        regels.append(f"ritme verwijderd: {_ritme(oude_ritmes[key])}")
    for key in sorted(oude_ritmes.keys() & nieuwe_ritmes.keys()):
        if oude_ritmes[key] != nieuwe_ritmes[key]:
            regels.append(f"ritme gewijzigd: {_ritme(oude_ritmes[key])} -> "
                          f"{_ritme(nieuwe_ritmes[key])}")
    for naam in ("naam", "afkorting", "aanleveren_werkdagen", "verzenden_dagen",
                 "standaard_tijd", "standaard_plaats", "duur_minuten", "feestdagen"):
        a, b = getattr(oud, naam), getattr(nieuw, naam)
        if a != b:
            regels.append(f"{naam}: {a} -> {b}")
    for naam in ("vergaderingen", "afgelast", "verplaatst", "vaste_punten_voor",
                 "vaste_punten_na", "verplichtingen", "herinneringen"):
        if getattr(oud, naam) != getattr(nieuw, naam):
            regels.append(f"{naam} gewijzigd")
    return regels


def _stappen(route: Route) -> str:
    return " -> ".join(f"{s.id} ({s.orgaan}, {s.rol.value})" for s in route.stappen)


def verschil(oud: Definities, nieuw: Definities) -> list[str]:
    """Bodies, members, rhythms and routes added, changed or removed, as Dutch lines."""
    regels: list[str] = []
    for key in sorted(nieuw.organen.keys() - oud.organen.keys()):
        regels.append(f"orgaan toegevoegd: {nieuw.organen[key].naam} ({key})")
    for key in sorted(oud.organen.keys() - nieuw.organen.keys()):
        regels.append(f"orgaan verwijderd: {oud.organen[key].naam} ({key})")
    for key in sorted(oud.organen.keys() & nieuw.organen.keys()):
        if oud.organen[key] != nieuw.organen[key]:
            regels.append(f"orgaan gewijzigd: {nieuw.organen[key].naam} ({key})")
            regels += [f"  {r}" for r in _orgaan_verschil(oud.organen[key], nieuw.organen[key])]
    for naam in sorted(nieuw.routes.keys() - oud.routes.keys()):
        regels.append(f"route toegevoegd: {naam}: {_stappen(nieuw.routes[naam])}")
    for naam in sorted(oud.routes.keys() - nieuw.routes.keys()):
        regels.append(f"route verwijderd: {naam}")
    for naam in sorted(oud.routes.keys() & nieuw.routes.keys()):
        a, b = oud.routes[naam], nieuw.routes[naam]
        if a != b:
            regels.append(f"route gewijzigd: {naam}")
            if a.stappen != b.stappen:
                regels.append(f"  stappen: {_stappen(b)}")
                regels.append(f"  was:     {_stappen(a)}")
            regels += [f"  {veld} gewijzigd" for veld in ("titel", "aan", "van", "omschrijving")
                       if getattr(a, veld) != getattr(b, veld)]
    return regels


