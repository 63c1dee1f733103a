"""`voorstel stemming`: the votes on one beslispunt of a proposal at the deciding meeting it is on.
One transaction: a new version of the beslispunt's stemming and a history row. The counting and
its rules are workflow.besluitvorming.stemming's; the outcome must later agree with it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from workflow.basis import clock
from workflow.basis.fouten import Conflict, GebruikersFout
from workflow.besluitvorming import stemming, vastleggen
from workflow.besluitvorming.model import Stem, Stemming
from workflow.definities.model import StapRol
from workflow.omgeving import Omgeving
from workflow.opslag.models import Agendapunt, Beslispunt
from workflow.voorstellen.kern import GEAGENDEERD, haal_voorstel, leg_vast, regel_tekst


@dataclass(frozen=True)
class Stemresultaat:
    kenmerk: str
    beslispunt: int
    omschrijving: str
    versie: int


def stem(env: Omgeving, kenmerk: str, beslispunt: int,
         keuzes: Sequence[tuple[str, stemming.Keuze]], *, zonder_stemming: bool,
         door: str) -> Stemresultaat:
    """Record how beslispunt `beslispunt` of `kenmerk` was voted on (or adopted without a vote)."""
    door = regel_tekst(door, "de naam bij --door", required=True, max_len=200)
    if zonder_stemming and keuzes:
        raise GebruikersFout("--zonder-stemming gaat niet samen met --voor, --tegen of --onthouden")
    if not zonder_stemming and not keuzes:
        raise GebruikersFout("noem wie voor en tegen stemden (--voor, --tegen), of geef "
                             "--zonder-stemming")
    with env.db.schrijf() as session:
        voorstel = haal_voorstel(session, kenmerk)
        item = session.scalar(select(Agendapunt).where(
            Agendapunt.voorstel_id == voorstel.id, Agendapunt.status == GEAGENDEERD))
        if item is None or item.rol != StapRol.BESLUIT.value:
            raise GebruikersFout(f"voorstel {voorstel.kenmerk} staat niet ter besluitvorming op "
                                 "een vergadering; een stemming hoort bij het besluit")
        if session.scalar(select(Beslispunt.id).where(
                Beslispunt.voorstel_id == voorstel.id, Beslispunt.volgnummer == beslispunt)) is None:
            raise GebruikersFout(f"voorstel {voorstel.kenmerk} heeft geen beslispunt {beslispunt}")
        vergadering = item.vergadering
        if clock.local(clock.now()).date() < clock.local(vergadering.begin).date():
            raise GebruikersFout("de stemming kan pas op de dag van de vergadering worden "
                                 "vastgelegd")
        gevonden = vastleggen.toets_voor(env, session, vergadering, voorstel.id)
        if gevonden is None:
            raise GebruikersFout(f"leg eerst de aanwezigheid vast: besluitroute vergadering "
                                 f"aanwezig {vergadering.id} --lid ...")
        aanwezigheid = gevonden[0]
        vastleggen.vereis_quorum(env, session, vergadering, voorstel.id, "de stemming")
        telling = (stemming.Telling(stemming.Uitslag.AANGENOMEN, 0, 0, zonder_stemming=True,
                                    voltallig=aanwezigheid.voltallig)
                   if zonder_stemming else stemming.tel(aanwezigheid, keuzes))
        versie = (session.scalar(select(func.max(Stemming.versie)).where(
            Stemming.vergadering_id == vergadering.id, Stemming.voorstel_id == voorstel.id,
            Stemming.beslispunt == beslispunt)) or 0) + 1
        rij = Stemming(vergadering_id=vergadering.id, voorstel_id=voorstel.id,
                       beslispunt=beslispunt, versie=versie, zonder_stemming=zonder_stemming,
                       uitslag=telling.uitslag.value, voor=telling.voor, tegen=telling.tegen,
                       voltallig=telling.voltallig, door=door, tijdstip=clock.now(),
                       geregistreerd_op=clock.real_now())
        rij.stemmen = [Stem(lid=s.lid.naam, door_naam=s.door, keuze=s.keuze.value,
                            gewicht=s.gewicht) for s in telling.stemmen]
        session.add(rij)
        omschrijving = stemming.omschrijving(telling.uitslag, telling.voor, telling.tegen,
                                             zonder_stemming)
        leg_vast(session, voorstel, "stemming", door, van=voorstel.toestand,
                 naar=voorstel.toestand, vergadering_id=vergadering.id,
                 uitkomst=telling.uitslag.value,
                 tekst=f"beslispunt {beslispunt}: {omschrijving}" + _wie(telling),
                 definities=env.definities)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict(f"de stemming over beslispunt {beslispunt} van voorstel "
                           f"{voorstel.kenmerk} is tegelijk door iemand anders vastgelegd") from None
        return Stemresultaat(voorstel.kenmerk, beslispunt, omschrijving, versie)


def _wie(telling: stemming.Telling) -> str:
    """' (voor: A, B; tegen: C)' for the history row."""
    delen = []
    for keuze in stemming.Keuze:
        namen = [s.door if s.door == s.lid.naam else f"{s.door} namens {s.lid.naam}"
                 for s in telling.stemmen if s.keuze is keuze]
        if namen:
            delen.append(f"{keuze.value}: {', '.join(namen)}")
    return f" ({'; '.join(delen)})" if delen else ""
