"""One meeting as ORI-A 1.0.1 (Open Raadsinformatie Archiefstandaard): the vergadering, every
agendapunt in the agenda's order with its documents as references to their MDTO
informatieobjecten, a besluit per beslispunt decided, and the body's members in their role.
Pure: the same meeting gives the same bytes.

Choices where besluitroute holds less than ORI-A can say, each also in docs/openbaarheid.md:
- a besluit is tied to its agendapunt by a `stemming` (ORI-A has no other link): of type
  Hoofdelijk with its result when votes were recorded (`voorstel stemming`), without type or
  result when it was adopted without a vote or no vote was recorded;
- `aanwezigeDeelnemer`: those present by the recorded attendance (`vergadering aanwezig`), a
  substitute in the role Plaatsvervanger, each with the votes they cast; nobody while no
  attendance was recorded (absence and its reasons have no place in ORI-A);
- a person's name is one text: it goes in `achternaam` (required) and `volledigeNaam`.
"""

from __future__ import annotations

from workflow.archief.vergadering import Archiefvergadering, Document
from workflow.basis import clock
from workflow.basis.tekst import iso as _tijd
from workflow.basis.xmltekst import xml

NS = "https://ori-a.nl"
TOOI_SAMENWERKINGSORGANISATIES = "TOOI-waardelijst organisaties"
ROLLEN = {"voorzitter": "Voorzitter", "lid": "Lid", "secretaris": "Secretaris",
          "adviseur": "Adviseur", "plaatsvervanger": "Plaatsvervanger"}


def _verwijzing(element: str, ident: str, naam: str | None = None) -> str:
    naamdeel = f"<verwijzingNaam>{xml(naam)}</verwijzingNaam>" if naam else ""
    return f"<{element}><verwijzingID>{xml(ident)}</verwijzingID>{naamdeel}</{element}>"


def _begrip(element: str, label: str, lijst: str, code: str | None = None) -> str:
    codedeel = f"<begripCode>{xml(code)}</begripCode>" if code else ""
    return (f"<{element}><begripLabel>{xml(label)}</begripLabel>{codedeel}"
            f"{_verwijzing('verwijzingBegrippenlijst', lijst)}</{element}>")


def _stuk(element: str, d: Document) -> str:
    return f"<{element}>{_verwijzing('verwijzingInformatieobject', d.identificatie, d.naam)}</{element}>"


def bestand(v: Archiefvergadering) -> bytes:
    o = v.orgaan
    assert o.archief is not None  # a body with archive rules (export.archief_organen)
    eigenaar = o.organisatie or o.archief.archiefvormer
    orgaan = _begrip("overheidsorgaan", eigenaar.naam, TOOI_SAMENWERKINGSORGANISATIES, eigenaar.tooi)
    delen = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<ORI-A xmlns="{NS}">\n',
             "<vergadering>", f"<ID>{xml(v.sleutel)}</ID>",
             f"<naam>{xml(o.naam)} {clock.local(v.begin).date().isoformat()}</naam>",
             f"<datum>{clock.local(v.begin).date().isoformat()}</datum>",
             f"<geplandeAanvang>{_tijd(v.begin)}</geplandeAanvang>",
             f"<geplandEinde>{_tijd(v.eind)}</geplandEinde>",
             f"<georganiseerdDoorGremium><naam>{xml(o.naam)}</naam>"
             f"<identificatie>{xml(o.sleutel)}</identificatie></georganiseerdDoorGremium>"]
    if v.plaats:
        delen.append(f"<locatie>{xml(v.plaats)}</locatie>")
    delen += ["<status>Gehouden</status>", orgaan]
    eigen = [v.agenda] + ([v.besluitenlijst] if v.besluitenlijst else [])
    delen += [_stuk("heeftAlsBijlage", d) for d in eigen]
    delen.append("</vergadering>\n")
    for p in v.punten:
        delen += ["<agendapunt>", f"<ID>{xml(v.sleutel)}-punt-{p.nummer}</ID>",
                  f"<naam>{xml(p.titel)}</naam>", f"<volgnummer>{p.nummer}</volgnummer>"]
        if p.omschrijving:
            delen.append(f"<omschrijving>{xml(p.omschrijving)}</omschrijving>")
        delen += [f"<indicatieBehandeld>{'true' if p.behandeld else 'false'}</indicatieBehandeld>",
                  f"<indicatieBesloten>{'true' if p.besloten else 'false'}</indicatieBesloten>",
                  _verwijzing("wordtBehandeldTijdens", v.sleutel)]
        delen += [_stuk("heeftAlsBijlage", d) for d in p.documenten]
        delen.append("</agendapunt>\n")
    for p in v.punten:
        for b in p.besluiten:
            soort = (f"<type>Hoofdelijk</type><resultaatMondelingeStemming>{b.uitslag}"
                     "</resultaatMondelingeStemming>") if b.uitslag else ""
            delen.append(f"<stemming><ID>{xml(v.sleutel)}-stemming-{xml(b.suffix)}</ID>{soort}"
                         f"{_verwijzing('leidtTotBesluit', f'{v.sleutel}-besluit-{b.suffix}')}"
                         f"{_verwijzing('heeftBetrekkingOpAgendapunt', f'{v.sleutel}-punt-{p.nummer}')}"
                         f"</stemming>\n")
    for p in v.punten:
        for b in p.besluiten:
            delen.append(f"<besluit><ID>{xml(v.sleutel)}-besluit-{xml(b.suffix)}</ID>"
                         f"<resultaat>{b.resultaat}</resultaat>"
                         f"<toelichting>{xml(b.toelichting)}</toelichting></besluit>\n")
    for i, d in enumerate(v.deelnemers, start=1):
        stemmen = "".join(
            f"<neemtDeelAanStemming><keuzeStemming>{keuze}</keuzeStemming>"
            f"{_verwijzing('gegevenOpStemming', f'{v.sleutel}-stemming-{suffix}')}"
            "</neemtDeelAanStemming>" for suffix, keuze in d.stemmen)
        delen.append(
            "<aanwezigeDeelnemer>"
            + _begrip("rolnaam", ROLLEN.get(d.rol, d.rol), "besluitroute rollen")
            + f"<organisatie>{xml(d.organisatie)}</organisatie>"
            + _verwijzing("neemtDeelAanVergadering", v.sleutel)
            + f"<isNatuurlijkPersoon><ID>{xml(v.sleutel)}-persoon-{i}</ID><naam>"
            f"<achternaam>{xml(d.naam)}</achternaam><volledigeNaam>{xml(d.naam)}"
            f"</volledigeNaam></naam></isNatuurlijkPersoon>{stemmen}</aanwezigeDeelnemer>\n")
    delen.append("</ORI-A>\n")
    return "".join(delen).encode()
