"""Correcting a proposal (title, beslispunten, author) until its first outcome; afterwards the
record stands: a body advised on what it read.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.basis import clock
from workflow.basis.fouten import GebruikersFout
from workflow.basis.tekst import datum, zoektekst
from workflow.omgeving import Omgeving
from workflow.opslag.models import Beslispunt, Gebeurtenis, Voorstel
from workflow.routes import toestanden
from workflow.voorstellen.kern import Resultaat, haal_voorstel, leg_vast, tekst_veld


def wijzig(env: Omgeving, kenmerk: str, *, door: str, titel: str | None = None,
           beslispunten: dict[int, str] | None = None, opsteller: str | None = None,
           opsteller_email: str | None = None) -> Resultaat:
    """Correct a proposal's title, beslispunten or author before its first outcome.

    `beslispunten` maps a number to its new text; the number after the last one adds a point.
    Afterwards the record stands: a body advised on what it read.
    """
    punten_nieuw = beslispunten or {}
    if titel is None and opsteller is None and opsteller_email is None and not punten_nieuw:
        raise GebruikersFout("geef aan wat er wijzigt: --titel, --beslispunt N=TEKST, "
                             "--opsteller of --opsteller-email")
    from workflow.voorstellen.indienen import opsteller_adres

    nieuw_adres = opsteller_adres(opsteller_email)
    nieuwe_titel = None if titel is None else tekst_veld(titel, "de titel", required=True,
                                                     max_len=500, een_regel=True)
    nieuwe_opsteller = None if opsteller is None else tekst_veld(
        opsteller, "de opsteller", required=True, max_len=200, een_regel=True)
    teksten = {n: tekst_veld(t, f"beslispunt {n}", required=True, een_regel=True)
               for n, t in sorted(punten_nieuw.items())}
    nu = clock.now()
    with env.db.schrijf() as session:
        voorstel = haal_voorstel(session, kenmerk)
        _check_changeable(session, voorstel)
        per_nummer = _points_to_change(session, voorstel, teksten)
        gewijzigd: list[str] = []
        if nieuwe_titel is not None and nieuwe_titel != voorstel.titel:
            gewijzigd.append(f'titel was "{voorstel.titel}"')
            voorstel.titel = nieuwe_titel
            voorstel.zoektekst = zoektekst(voorstel.kenmerk, nieuwe_titel)
        for nummer, tekst in teksten.items():
            punt = per_nummer.get(nummer)
            if punt is None:
                session.add(Beslispunt(voorstel_id=voorstel.id, volgnummer=nummer, tekst=tekst))
                gewijzigd.append(f"beslispunt {nummer} toegevoegd")
            elif punt.tekst != tekst:
                gewijzigd.append(f'beslispunt {nummer} was "{punt.tekst}"')
                punt.tekst = tekst
        if nieuwe_opsteller is not None and nieuwe_opsteller != voorstel.opsteller:
            gewijzigd.append(f'opsteller was "{voorstel.opsteller}"')
            voorstel.opsteller = nieuwe_opsteller
        if nieuw_adres is not None and nieuw_adres != voorstel.opsteller_email:
            gewijzigd.append(f'e-mailadres opsteller was "{voorstel.opsteller_email or "onbekend"}"')
            voorstel.opsteller_email = nieuw_adres
        machine = env.routes.machine(voorstel.route)
        label = machine.label(voorstel.toestand, env.definities)
        if not gewijzigd:
            return Resultaat(voorstel.kenmerk, voorstel.toestand, "niets gewijzigd")
        voorstel.gewijzigd_op = nu  # bumps the version: a concurrent writer gets a conflict
        leg_vast(session, voorstel, "wijzigen", door, van=voorstel.toestand,
                 naar=voorstel.toestand, tekst="; ".join(gewijzigd))
        return Resultaat(voorstel.kenmerk, voorstel.toestand,
                         f"gewijzigd ({'; '.join(gewijzigd)}); {label}")


def _check_changeable(session: Session, voorstel: Voorstel) -> None:
    """A proposal can be corrected until it is finished or has its first outcome."""
    if voorstel.toestand in toestanden.EINDTOESTANDEN:
        raise GebruikersFout(f"voorstel {voorstel.kenmerk} is {voorstel.toestand}; er valt "
                             "niets meer te wijzigen")
    eerste = session.scalar(select(Gebeurtenis).where(
        Gebeurtenis.voorstel_id == voorstel.id, Gebeurtenis.uitkomst.is_not(None))
        .order_by(Gebeurtenis.id).limit(1))
    if eerste is not None:
        waar = f" door {eerste.vergadering_titel}" if eerste.vergadering_titel else ""
        raise GebruikersFout(
            f"voorstel {voorstel.kenmerk} heeft al een uitkomst ({eerste.uitkomst}{waar} op "
            f"{datum(eerste.tijdstip)}); wijzigen kan alleen vóór de eerste uitkomst")


def _points_to_change(session: Session, voorstel: Voorstel,
                      teksten: dict[int, str]) -> dict[int, Beslispunt]:
    """The existing beslispunten by number; every number given exists or adds the next one."""
    punten = list(session.scalars(select(Beslispunt).where(
        Beslispunt.voorstel_id == voorstel.id).order_by(Beslispunt.volgnummer)))
    per_nummer = {p.volgnummer: p for p in punten}
    volgende = len(punten) + 1
    for nummer in teksten:
        if nummer not in per_nummer and nummer != volgende:
            bereik = f"1 tot en met {len(punten)}; " if punten else ""
            raise GebruikersFout(f"voorstel {voorstel.kenmerk} heeft geen beslispunt {nummer} "
                                 f"({bereik}{volgende} voegt er een toe)")
        if nummer == volgende:
            volgende += 1
    return per_nummer
