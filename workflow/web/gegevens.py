"""Who may see what, and the data of each page as plain dicts for the templates.

Access (see docs/portaal.md):
- everyone sees exactly what is published at that moment (the `publicatie` records, Woo): a
  meeting whose agenda is published, the documents of a proposal published for it, its decision
  list once published; withdrawn publications (an exception on a Woo ground) are gone again.
  The calendar (dates only) of bodies marked `openbaar: true` or that publish is public too;
- a signed-in member (or secretary) also sees everything of their own bodies, published or not;
  the full proposal page (closed advice, officials' names) only when one of their bodies is on
  its route (a meeting it is or was on) or commissioned it;
- a proposal is visible with published documents, or to a member of a body whose meeting it is
  (or was) on or that commissioned it;
- the secretariat board is for the secretaries of bodies, and shows their bodies.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import url_for
from sqlalchemy import exists, or_, select, union
from sqlalchemy.orm import Session

from workflow.openbaarheid import zichtbaarheid
from workflow.openbaarheid.zichtbaarheid import live
from workflow.web import publiek, routelijn, stukken
from workflow.web.bronnen import (
    Agendapunt,
    Definities,
    Gebeurtenis,
    Omgeving,
    Orgaan,
    Publicatie,
    StapRol,
    Vergadering,
    Voorstel,
    aanmeldingen,
    agenda,
    clock,
    laad_voorblad,
    rendering,
    tekst,
    vergaderinfo,
    verplichtingen,
    weekstaat,
)
from workflow.web.toegang import (
    OP_VERGADERING,
    Bezoeker,
    Openbaar,
    besloten_advies,
    gepubliceerde_agendas,
    openbaar,
)

# ---------------------------------------------------------------------------------------------
# Small conversions.

def _vergadering(v: Vergadering, definities: Definities, open_: bool = True,
                 gepubliceerd_op: datetime | None = None) -> dict[str, Any]:
    orgaan = definities.organen.get(v.orgaan)
    verplaatst = v.begin != v.oorspronkelijk_begin
    return {
        "open": open_,
        "gepubliceerd_op": clock.local(gepubliceerd_op) if gepubliceerd_op else None,
        "id": v.id, "orgaan": v.orgaan, "orgaan_naam": orgaan.naam if orgaan else v.orgaan,
        "begin": clock.local(v.begin), "plaats": v.plaats, "geannuleerd": v.geannuleerd,
        "verplaatst": verplaatst,
        "oorspronkelijk_begin": clock.local(v.oorspronkelijk_begin) if verplaatst else None,
        "opmerking": v.opmerking,
    }


def zichtbaar_voorstel(b: Bezoeker, nu: datetime) -> Any:
    """SQL condition: the proposal's documents are public at `nu`; or, for a member, it is (or
    was) on a meeting of one of their bodies, or was commissioned by one."""
    gepubliceerd = exists(select(Publicatie.id).where(Publicatie.voorstel_id == Voorstel.id,
                                                      live(nu, "stukken")))
    if not b.organen:
        return gepubliceerd
    eigen = sorted(b.organen)
    op_vergadering = exists(
        select(Agendapunt.id).join(Vergadering, Vergadering.id == Agendapunt.vergadering_id)
        .where(Agendapunt.voorstel_id == Voorstel.id, Agendapunt.status.in_(OP_VERGADERING),
               Vergadering.orgaan.in_(eigen)))
    return or_(gepubliceerd, op_vergadering, Voorstel.in_opdracht_van.in_(eigen))


def zichtbare_voorstel_ids(b: Bezoeker, nu: datetime) -> Any:
    """The ids of the proposals `b` may see (as `zichtbaar_voorstel`), as one UNION of indexed
    selections: the search starts from these instead of testing every proposal for them."""
    ids: Any = select(Publicatie.voorstel_id).where(Publicatie.voorstel_id.is_not(None),
                                                    live(nu, "stukken"))
    if b.organen:
        eigen = sorted(b.organen)
        ids = union(
            ids,
            select(Agendapunt.voorstel_id)
            .join(Vergadering, Vergadering.id == Agendapunt.vergadering_id)
            .where(Vergadering.orgaan.in_(eigen), Agendapunt.status.in_(OP_VERGADERING)),
            select(Voorstel.id).where(Voorstel.in_opdracht_van.in_(eigen)))
    return ids


def vergaderlijst(session: Session, b: Bezoeker, rows: Iterable[Vergadering],
                  definities: Definities, nu: datetime) -> list[dict[str, Any]]:
    """Meetings as dicts; `open` (linked) when the visitor's own body or the agenda is public."""
    rows = list(rows)
    agendas = gepubliceerde_agendas(session, (v.id for v in rows), nu)
    return [_vergadering(v, definities, v.orgaan in b.organen or v.id in agendas,
                         agendas.get(v.id)) for v in rows]


# ---------------------------------------------------------------------------------------------
# Pages.

def start(env: Omgeving, b: Bezoeker, nu: datetime, per_orgaan: int = 3) -> list[dict[str, Any]]:
    """Per visible body, its next meetings."""
    definities = env.definities
    keys = sorted(b.zichtbaar & set(definities.organen),
                  key=lambda k: definities.organen[k].naam.casefold())
    result = []
    with env.db.lees() as session:
        for key in keys:
            rows = session.scalars(select(Vergadering).where(
                Vergadering.orgaan == key, Vergadering.begin >= nu - timedelta(hours=4))
                .order_by(Vergadering.begin, Vergadering.id).limit(per_orgaan))
            o = definities.organen[key]
            result.append({"sleutel": key, "naam": o.naam, "openbaar": o.openbaar,
                           "vergaderingen": vergaderlijst(session, b, rows, definities, nu)})
    return result


_LIKE_SPECIAAL = re.compile(r"([\\%_])")
MAX_ZOEK = 200


def zoek(env: Omgeving, b: Bezoeker, vraag: str, nu: datetime, limiet: int = 50
         ) -> list[dict[str, Any]]:
    """Proposals whose title or kenmerk contains `vraag`, case and accents folded (the stored
    `zoektekst`: "reunie" finds "Reünie"), newest first."""
    vraag = tekst.zoekvorm(vraag)[:MAX_ZOEK]
    if not vraag:
        return []
    patroon = "%" + _LIKE_SPECIAAL.sub(r"\\\1", vraag) + "%"
    query = (
        select(Voorstel.kenmerk, Voorstel.titel, Voorstel.toestand, Voorstel.route)
        .where(Voorstel.zoektekst.like(patroon, escape="\\"),
               Voorstel.id.in_(zichtbare_voorstel_ids(b, nu)))
        .order_by(Voorstel.id.desc()).limit(limiet))
    with env.db.lees() as session:
        rows = session.execute(query).all()
    return [{"kenmerk": r.kenmerk, "titel": r.titel, "stand": _stand(env, r.route, r.toestand)}
            for r in rows]


def _stand(env: Omgeving, route: str, toestand: str) -> str:
    try:
        return str(env.routes.machine(route).label(toestand, env.definities))
    except Exception:  # a route no longer defined: the raw state
        return toestand


def orgaan(env: Omgeving, b: Bezoeker, o: Orgaan, nu: datetime) -> dict[str, Any]:
    definities = env.definities
    jaar = clock.local(nu).year
    with env.db.lees() as session:
        rows = list(session.scalars(select(Vergadering).where(Vergadering.orgaan == o.sleutel)
                                    .order_by(Vergadering.begin, Vergadering.id)))
        alle = vergaderlijst(session, b, rows, definities, nu)
    grens = clock.local(nu - timedelta(hours=4))
    komend = [v for v in alle if v["begin"] >= grens]
    geweest = [v for v in alle if v["begin"] < grens]
    geweest.reverse()
    plichten = [s for s in verplichtingen.verzamel(env, jaar, nu) if s.orgaan == o.sleutel] \
        if o.verplichtingen else []
    return {
        "sleutel": o.sleutel, "naam": o.naam, "afkorting": o.afkorting, "openbaar": o.openbaar,
        "secretaris": {"naam": o.secretaris.naam, "email": o.secretaris.email},
        "leden": [{"naam": lid.naam, "rol": lid.rol.value, "organisatie": lid.organisatie}
                  for lid in o.leden],
        "komend": komend[:50], "geweest": geweest[:50],
        "meer_komend": max(0, len(komend) - 50), "meer_geweest": max(0, len(geweest) - 50),
        "jaar": jaar,
        "verplichtingen": [{"omschrijving": s.omschrijving, "vereist": s.vereist,
                            "gehouden": s.gehouden, "gepland": s.gepland, "status": s.status,
                            "tekort": s.tekort} for s in plichten],
    }


_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL)


def lichaam(html: str, *, zonder_landmarks: bool = False) -> str:
    """The inside of a rendered document's body, to show inside a portal page."""
    match = _BODY.search(html)
    inhoud = match.group(1) if match else html
    # The body's name above the agenda's heading is for the printed page; the portal's page
    # title already says it.
    inhoud = re.sub(r'<p class="organisatie">.*?</p>\n?', "", inhoud, count=1)
    if zonder_landmarks:
        # A second document on the same page: its header and main become plain sections.
        inhoud = re.sub(r"<(/?)(main|header)>", r"<\1div>", inhoud)
        inhoud = re.sub(r"<h1>(.*?)</h1>", r"<h2>\1</h2>", inhoud, flags=re.DOTALL)
    return inhoud


def vergadering(env: Omgeving, v: Vergadering, nu: datetime, pub: Openbaar | None
                ) -> dict[str, Any]:
    """The agenda (rendered by the agenda template, each item with its documents linked) and,
    after the meeting, the decision list. `pub` None: everything (a member of the body); else
    only what is published."""
    with env.db.lees() as session:
        gepubliceerd = openbaar(env, v.id, nu) if pub is None else pub
        punten = session.execute(
            select(Voorstel.id, Voorstel.kenmerk)
            .join(Agendapunt, Agendapunt.voorstel_id == Voorstel.id)
            .where(Agendapunt.vergadering_id == v.id, Agendapunt.status.in_(OP_VERGADERING))
            .order_by(Agendapunt.id)).all()
        if pub is not None:
            punten = [p for p in punten if p.id in pub.stukken]
        per = stukken.per_voorstel(session, (p.id for p in punten))
        links = {"voorstellen": {p.kenmerk: url_for("pagina.voorstel", kenmerk=p.kenmerk)
                                 for p in punten},
                 "stukken": {p.kenmerk: stukken.links(per[p.id]) for p in punten},
                 # When each proposal's documents went public; "" for a member's view of
                 # documents not (yet) public.
                 "gepubliceerd": {p.kenmerk: tekst.datum_tijd(clock.local(
                     gepubliceerd.stukken[p.id])) if p.id in gepubliceerd.stukken else ""
                     for p in punten if per[p.id]}}
        fragment = agenda_fragment(env, session, v, nu, pub, links)
    return {"vergadering": _vergadering(v, env.definities, True, gepubliceerd.agenda),
            "agenda_html": fragment[0], "besluiten_html": fragment[1],
            "besluiten_gepubliceerd_op": clock.local(gepubliceerd.besluitenlijst)
            if gepubliceerd.besluitenlijst else None,
            "volledig": pub is None,
            "stukken_gepubliceerd": pub is None or bool(gepubliceerd.stukken),
            "kenmerken": [p.kenmerk for p in punten]}


def agenda_fragment(env: Omgeving, session: Session, v: Vergadering, nu: datetime,
                    pub: Openbaar | None, links: dict[str, Any] | None = None
                    ) -> tuple[str, str | None]:
    """The rendered agenda and (after the meeting, and for the public once published) decision
    list of a meeting, as HTML to put inside a page; `links`: the portal's links to proposals
    and documents (workflow.web.stukken)."""
    info = vergaderinfo(env, v)
    items = aanmeldingen(env, session, v)
    if pub is not None:
        items = publiek.aanmeldingen(env, session, items, pub)
    context = agenda.context(agenda.stel_agenda_samen(info, items))
    if links is not None:
        context["portaal"] = links
    html = rendering.render("agenda.html", context, env.sjablonen_map)
    besluiten_html = None
    if (zichtbaarheid.besluitenlijst_gehouden(v.begin, v.geannuleerd, nu) if pub is None
            else zichtbaarheid.besluitenlijst_openbaar(v.begin, v.geannuleerd, nu, pub.agenda,
                                                       pub.besluitenlijst)):
        # With who attended (names public with the list; reasons of absence never shown here).
        lijst = agenda.stel_besluitenlijst_samen(vergaderinfo(env, v, session), items)
        besluiten_html = rendering.render("besluitenlijst.html", agenda.context(lijst),
                                          env.sjablonen_map)
    return (lichaam(html),
            lichaam(besluiten_html, zonder_landmarks=True) if besluiten_html else None)


def voorstel(env: Omgeving, b: Bezoeker, v: Voorstel, nu: datetime) -> dict[str, Any]:
    """Cover sheet, route timeline, advice so far, history. The full view only for a member of
    a body the proposal is (or was) on a meeting of, or that commissioned it; for everyone else
    (the public, and members of unrelated bodies): only the advice of bodies whose advice is
    public, and the history by body and role, without the names of the officials who recorded
    it."""
    definities = env.definities
    with env.db.lees() as session:
        punten = [(punt, verg) for punt, verg in session.execute(
            select(Agendapunt, Vergadering).join(Vergadering,
                                                 Vergadering.id == Agendapunt.vergadering_id)
            .where(Agendapunt.voorstel_id == v.id)
            .order_by(Vergadering.begin, Agendapunt.id))]
        documenten = stukken.met_versies(stukken.per_voorstel(session, [v.id])[v.id])
        geschiedenis = list(session.scalars(select(Gebeurtenis).where(
            Gebeurtenis.voorstel_id == v.id).order_by(Gebeurtenis.id)))
        agendas = gepubliceerde_agendas(session, (verg.id for _, verg in punten), nu)
        from workflow.voorstellen.takken import zienswijzeregels

        zienswijzen = zienswijzeregels(session, definities, {v.id: v})[v.id]
    betrokken = {verg.orgaan for punt, verg in punten if punt.status in OP_VERGADERING}
    if v.in_opdracht_van:
        betrokken.add(v.in_opdracht_van)
    volledig = bool(b.organen & betrokken)
    besloten = frozenset() if volledig else besloten_advies(definities)
    voorblad = laad_voorblad(env, v.kenmerk)
    if besloten:
        voorblad = publiek.voorblad(voorblad, besloten)
    # The portal lists the documents itself, linked and with their versions.
    html = rendering.render("voorstel.html", {"voorstel": agenda.context(voorblad),
                                              "portaal": True}, env.sjablonen_map)
    tijdlijn = _tijdlijn(definities, b, punten, agendas, besloten)
    # Each council's answer beside the others; its text only for the full view.
    raden = [{"stap": z.stap, "gemeente": z.gemeente, "antwoord": z.antwoord, "datum": z.datum,
              "te_laat": z.te_laat, "tekst": z.tekst if volledig else ""} for z in zienswijzen]
    return {
        "kenmerk": v.kenmerk, "titel": v.titel, "opsteller": v.opsteller,
        "stand": voorblad.toestand, "voorblad_html": lichaam(html),
        "tijdlijn": routelijn.niveaus(definities, v.route, tijdlijn, raden),
        "documenten": documenten,
        "namen": volledig,
        "zienswijzen": raden,
        "geschiedenis": [publiek.gebeurtenis(g, definities, volledig, besloten)
                         for g in geschiedenis],
    }


def _tijdlijn(definities: Definities, b: Bezoeker,
              punten: Sequence[tuple[Agendapunt, Vergadering]], agendas: Collection[int],
              besloten: frozenset[str]) -> list[dict[str, Any]]:
    """The proposal's meetings for the route timeline: each with the advice as far as public."""
    tijdlijn = []
    for punt, verg in punten:
        o = definities.organen.get(verg.orgaan)
        try:
            rol = StapRol(punt.rol).label
        except ValueError:
            rol = punt.rol
        uitkomst, toelichting = publiek.advies(o.naam if o else verg.orgaan, punt.uitkomst,
                                               punt.tekst, besloten)
        tijdlijn.append({
            "vergadering": _vergadering(verg, definities),
            "zichtbaar": verg.orgaan in b.organen or verg.id in agendas,
            "orgaan_naam": o.naam if o else verg.orgaan, "rol": rol, "status": punt.status,
            "stap": punt.stap,
            "uitkomst": uitkomst, "tekst": toelichting,
            "nagekomen": punt.nagekomen,
        })
    return tijdlijn


def secretariaat(env: Omgeving, b: Bezoeker, nu: datetime) -> dict[str, Any]:
    """The weekly overview's facts for this week and next, for the bodies of this secretary,
    plus messages failed or waiting and cadence duties behind (as `besluitroute week`)."""
    from dataclasses import asdict

    return asdict(weekstaat(env, sorted(b.secretaris_van), nu))
