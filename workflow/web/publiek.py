"""What the public (not signed in) sees of an agenda and a proposal: what the rules publish.

- the advice (outcome and text) only of bodies whose advice is public (`advies_openbaar`;
  by default the bodies that publish anything);
- the history by body and role, without the names of the officials who recorded it;
- a proposal under a Woo exception by its ground alone: "niet openbaar (Woo art. 5.1 lid 2
  sub b)", without kenmerk, title, author, beslispunten, documents or advice.

Signed-in members see everything of their own bodies (workflow.web.gegevens); a proposal's
full page only when one of their bodies is on its route or commissioned it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.web.bronnen import Definities, Gebeurtenis, Omgeving, Orgaan, Voorstel, clock
from workflow.web.toegang import Openbaar, besloten_advies, uitzonderingen_per_kenmerk


def aanmeldingen(env: Omgeving, session: Session, items: list[Any], pub: Openbaar
                 ) -> list[Any]:
    """The items of a public agenda as the rules publish them: the documents only of proposals
    whose documents are published; the advice only of bodies whose advice is public; a
    proposal under a Woo exception by its ground alone (no kenmerk, title, author, beslispunten,
    documents or advice)."""
    open_ = set(session.scalars(select(Voorstel.kenmerk).where(
        Voorstel.id.in_(sorted(pub.stukken))))) if pub.stukken else set()
    verborgen = uitzonderingen_per_kenmerk(session, [i.kenmerk for i in items])
    besloten = besloten_advies(env.definities)
    result = []
    for i in items:
        if i.kenmerk in verborgen:
            result.append(replace(i, kenmerk="", titel=str(verborgen[i.kenmerk]), opsteller="",
                                  beslispunten=(), documenten=(), behandelingen=(),
                                  uitkomst_tekst=""))
            continue
        result.append(replace(
            i, documenten=i.documenten if i.kenmerk in open_ else (),
            behandelingen=tuple(_zonder_advies(h) if h.orgaan in besloten else h
                                for h in i.behandelingen)))
    return result


def _zonder_advies(h: Any) -> Any:
    """A treatment without its outcome and text (the advice of a body whose advice is closed)."""
    return replace(h, uitkomst=None, tekst="")


def advies(orgaan_naam: str, uitkomst: str | None, tekst: str | None,
           besloten: frozenset[str]) -> tuple[str, str]:
    """(outcome, text) of one treatment as shown: both empty for a body (by name) in
    `besloten`, whose advice is closed."""
    if orgaan_naam in besloten:
        return "", ""
    return uitkomst or "", tekst or ""


def voorblad(data: Any, besloten: frozenset[str]) -> Any:
    """A cover sheet without the advice, and without the outcome in its route, of the bodies
    in `besloten`."""
    return replace(
        data, adviezen=tuple(a for a in data.adviezen if a.orgaan not in besloten),
        te_bespreken_in=tuple(replace(r, uitkomst="") if r.orgaan in besloten else r
                              for r in data.te_bespreken_in))


def gebeurtenis(g: Gebeurtenis, definities: Definities, namen: bool,
                besloten: frozenset[str]) -> dict[str, Any]:
    """One history row; without `namen` (the public, a member of an unrelated body) without
    who recorded it; without the outcome and text of a body in `besloten`."""
    orgaan = definities.organen.get(g.orgaan or "")
    naam = orgaan.naam if orgaan is not None else g.orgaan or ""
    uitkomst, tekst = advies(naam, g.uitkomst, g.tekst, besloten)
    return {
        "tijdstip": clock.local(g.tijdstip), "door": g.door if namen else "",
        "handeling": g.handeling, "naar": g.naar_toestand or "",
        "uitkomst": uitkomst, "tekst": tekst,
        "orgaan": naam,
        "rol": _rol(orgaan) if not namen else "",
        "vergadering_begin": clock.local(g.vergadering_begin) if g.vergadering_begin else None,
    }


def _rol(orgaan: Orgaan | None) -> str:
    """The role in which the history row was recorded, for the public: the body's secretariat
    for an act at a body's meeting, else the secretariat."""
    return f"secretariaat {orgaan.naam}" if orgaan is not None else "secretariaat"
