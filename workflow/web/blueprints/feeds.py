"""Calendar feeds (the files of `kalender export`), with ETag and Last-Modified: public per
body, personal behind a secret in the URL."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from flask import Blueprint, Response, abort, g, request

from workflow.web import feedstempel, opslag, toegang
from workflow.web.bronnen import ical, takken
from workflow.web.portaal import huidig

bp = Blueprint("feeds", __name__)


@bp.get("/kalender/orgaan/<sleutel>.ics")
def orgaan(sleutel: str) -> Response:
    # The calendar of a body marked `openbaar` or that publishes is public; of its agendas
    # only what is published at this moment (Woo), as on the public meeting page.
    env = huidig().env
    if sleutel not in toegang.openbare_organen(env.definities):
        abort(404)
    stempel, laatst, _ = feedstempel.stempel(env, [sleutel])
    return _feed(stempel, laatst, lambda: _openbare_kalender(sleutel))


def _openbare_kalender(sleutel: str) -> bytes:
    env = huidig().env
    with env.db.lees() as session:
        openbaar = toegang.openbaar_in_kalender(session, sleutel, g.nu)
        gepubliceerd = toegang.openbare_voorstellen(session, g.nu)
    # The last day of a zienswijze period, of the proposals the public may see.
    return ical.exporteer(env, orgaan=sleutel, openbaar=openbaar,
                          extra=takken.ical_items(env, sleutel, gepubliceerd))


@bp.get("/kalender/p/<geheim>/orgaan/<sleutel>.ics")
def persoonlijk_orgaan(geheim: str, sleutel: str) -> Response:
    env = huidig().env
    if sleutel not in env.definities.organen or not opslag.geldig_token(geheim):
        abort(404)
    # A calendar app asks every quarter of an hour: the secret's owner and the fingerprint in
    # one query, and a 304 without anything else.
    stempel, laatst, email = feedstempel.stempel(env, [sleutel], opslag.hash_van(geheim))
    b = toegang.bezoeker(env.definities, email) if email is not None else None
    if b is None or sleutel not in b.zichtbaar:
        abort(404)
    if sleutel not in b.organen:  # a public body they are no member of: what the public sees
        return _feed(stempel, laatst, lambda: _openbare_kalender(sleutel), prive=True)
    return _feed(stempel, laatst, lambda: ical.exporteer(
        env, orgaan=sleutel, extra=takken.ical_items(env, sleutel)), prive=True)


def _eigenaar(geheim: str) -> toegang.Bezoeker:
    """The signed-in person a personal feed's secret belongs to; 404 for anyone else."""
    env = huidig().env
    email = opslag.feed_email(env, geheim)
    b = toegang.bezoeker(env.definities, email) if email else None
    if b is None or not b.ingelogd:
        abort(404)
    return b


@bp.get("/kalender/p/<geheim>/lid.ics")
def lid(geheim: str) -> Response:
    env, b = huidig().env, _eigenaar(geheim)
    stempel, laatst = feedstempel.feed_stempel(env, sorted(b.organen))
    return _feed(stempel, laatst, lambda: ical.exporteer(env, lid=b.email), prive=True)


@bp.get("/kalender/p/<geheim>/opsteller.ics")
def opsteller(geheim: str) -> Response:
    env, b = huidig().env, _eigenaar(geheim)
    stempel, laatst = feedstempel.feed_stempel(env, None)
    return _feed(stempel, laatst, lambda: ical.exporteer(env, opsteller=b.naam), prive=True,
                 extra=b.naam)


def _feed(stempel: str, laatst: datetime, maak: Callable[[], bytes], *, prive: bool = False,
          extra: str = "") -> Response:
    etag = hashlib.sha256(f"{stempel}|{request.path}|{extra}".encode()).hexdigest()[:32]
    kop = {"ETag": f'"{etag}"', "Last-Modified": format_datetime(laatst, usegmt=True),
           "Cache-Control": "private, no-cache" if prive else "public, no-cache"}
    if niet_gewijzigd(etag, laatst):
        return Response(status=304, headers=kop)
    response = Response(maak(), mimetype="text/calendar")
    response.headers.update(kop)
    response.headers["Content-Disposition"] = "inline; filename=kalender.ics"
    return response


def niet_gewijzigd(etag: str, laatst: datetime) -> bool:
    """RFC 9110: If-None-Match decides when present; else If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or f'"{etag}"' in tags
    since = request.headers.get("If-Modified-Since")
    if since:
        try:
            moment = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
        if moment.tzinfo is not None:
            return laatst <= moment
    return False


def webcal(url: str) -> str:
    """webcal:// for calendar apps (they subscribe over https/http)."""
    return "webcal://" + url.split("://", 1)[1]
