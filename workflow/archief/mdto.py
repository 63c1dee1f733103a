"""MDTO 1.0.1 (Nationaal Archief) beside each archived document: an informatieobject (what the
document is, its waardering, who formed the archive, its restriction on use) and a bestand (the
file: size, format, SHA-256 with its date, which informatieobject it represents). Pure.

Concepts from MDTO's begrippenlijsten: aggregatieniveau "Archiefstuk", waardering B/V,
eventType "Creatie"/"Ontvangst"/"Publicatie", beperkingGebruikType "Geen beperking" or "Overig"
(a Woo exception, described), checksumAlgoritme "SHA-256". The file format is its IANA media
type (besluitroute does not identify PRONOM versions).
"""

from __future__ import annotations

import mimetypes

from dateutil.relativedelta import relativedelta

from workflow.archief.vergadering import Archiefvergadering, Document
from workflow.basis import clock
from workflow.basis.tekst import iso as _tijd
from workflow.basis.xmltekst import xml
from workflow.definities.organisatie import Organisatie, Waardering

BRON = "besluitroute"
_KOP = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<MDTO xmlns="https://www.nationaalarchief.nl/mdto">\n')


def _begrip(element: str, label: str, lijst: str, code: str | None = None) -> str:
    codedeel = f"<begripCode>{xml(code)}</begripCode>" if code else ""
    return (f"<{element}><begripLabel>{xml(label)}</begripLabel>{codedeel}<begripBegrippenlijst>"
            f"<verwijzingNaam>{xml(lijst)}</verwijzingNaam></begripBegrippenlijst></{element}>")


def _verwijzing(element: str, naam: str, kenmerk: str | None = None,
                bron: str = BRON) -> str:
    ident = (f"<verwijzingIdentificatie><identificatieKenmerk>{xml(kenmerk)}"
             f"</identificatieKenmerk><identificatieBron>{xml(bron)}</identificatieBron>"
             f"</verwijzingIdentificatie>") if kenmerk else ""
    return f"<{element}><verwijzingNaam>{xml(naam)}</verwijzingNaam>{ident}</{element}>"


def _identificatie(kenmerk: str) -> str:
    return (f"<identificatie><identificatieKenmerk>{xml(kenmerk)}</identificatieKenmerk>"
            f"<identificatieBron>{BRON}</identificatieBron></identificatie>")


def _organisatie(element: str, o: Organisatie) -> str:
    return _verwijzing(element, o.naam, o.tooi, "TOOI")


def bestand_id(d: Document) -> str:
    return f"{d.identificatie}/bestand"


def informatieobject(v: Archiefvergadering, d: Document) -> bytes:
    """The informatieobject of document `d` of meeting `v` (its body has archive rules)."""
    regels = v.orgaan.archief
    assert regels is not None
    delen = [_KOP, "<informatieobject>", _identificatie(d.identificatie),
             f"<naam>{xml(d.naam)}</naam>",
             _begrip("aggregatieniveau", "Archiefstuk", "Begrippenlijst Aggregatieniveaus MDTO"),
             "<taal>nl</taal>",
             "<event>", _begrip("eventType", d.gebeurtenis, "Begrippenlijst EventTypeLijst MDTO"),
             f"<eventTijd>{_tijd(d.moment)}</eventTijd></event>"]
    if d.gepubliceerd_op is not None:
        delen += ["<event>",
                  _begrip("eventType", "Publicatie", "Begrippenlijst EventTypeLijst MDTO"),
                  f"<eventTijd>{_tijd(d.gepubliceerd_op)}</eventTijd></event>"]
    delen.append(_begrip("waardering", regels.waardering.value.capitalize(),
                         "Begrippenlijst Waarderingen MDTO", regels.waardering.code))
    if regels.waardering is Waardering.TIJDELIJK and regels.bewaartermijn_jaren:
        jaren = regels.bewaartermijn_jaren
        start = clock.local(v.eind).date()
        # 29 February plus a number of years ends on 28 February when that year has no leap day.
        einde = start + relativedelta(years=jaren)
        delen.append(f"<bewaartermijn><termijnStartdatumLooptijd>"
                     f"{start.isoformat()}</termijnStartdatumLooptijd>"
                     f"<termijnLooptijd>P{jaren}Y</termijnLooptijd>"
                     f"<termijnEinddatum>{einde.isoformat()}</termijnEinddatum></bewaartermijn>")
    delen += [_begrip("informatiecategorie", regels.categorie, regels.selectielijst,
                      regels.categorie),
              _verwijzing("isOnderdeelVan", f"{v.orgaan.naam} {clock.local(v.begin):%Y-%m-%d}",
                          v.sleutel),
              _verwijzing("heeftRepresentatie", d.bestandsnaam, bestand_id(d)),
              _organisatie("archiefvormer", regels.archiefvormer),
              "<beperkingGebruik>"]
    if d.beperking is None:
        delen.append(_begrip("beperkingGebruikType", "Geen beperking",
                             "Begrippenlijst BeperkingGebruikTypeLijst MDTO"))
    else:
        delen += [_begrip("beperkingGebruikType", "Overig",
                          "Begrippenlijst BeperkingGebruikTypeLijst MDTO"),
                  f"<beperkingGebruikNadereBeschrijving>{xml(d.beperking[1])}"
                  f"</beperkingGebruikNadereBeschrijving>"]
    delen += ["</beperkingGebruik>", "</informatieobject>\n</MDTO>\n"]
    return "".join(delen).encode()


def bestand(d: Document) -> bytes:
    """The bestand of document `d`: its file, checksum dated at the document's moment (made or
    registered, when its SHA-256 was taken)."""
    mime = mimetypes.guess_type(d.bestandsnaam)[0] or "application/octet-stream"
    return "".join([
        _KOP, "<bestand>", _identificatie(bestand_id(d)), f"<naam>{xml(d.bestandsnaam)}</naam>",
        f"<omvang>{d.grootte}</omvang>",
        _begrip("bestandsformaat", mime, "IANA Media Types"),
        "<checksum>", _begrip("checksumAlgoritme", "SHA-256",
                              "Begrippenlijst ChecksumAlgoritme MDTO"),
        f"<checksumWaarde>{d.sha256}</checksumWaarde>"
        f"<checksumDatum>{_tijd(d.moment)}</checksumDatum></checksum>",
        _verwijzing("isRepresentatieVan", d.naam, d.identificatie),
        "</bestand>\n</MDTO>\n"]).encode()
