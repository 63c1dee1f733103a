"""What runs around every request of the portal: the gate (Host, form origin and token), who
the visitor is, and the security headers on every answer."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Response, g, render_template, request

from workflow.web import beveiliging, opslag, toegang
from workflow.web.blueprints.inloggen import COOKIE
from workflow.web.bronnen import clock
from workflow.web.portaal import huidig

log = logging.getLogger("besluitroute.web")

#: No script at all, styles from the page and ourselves, nothing framed, forms only to us.
CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
#: How often a worker looks for a newly applied version of the definitions.
VERVERS_SECONDEN = 30.0
#: Endpoints that never look at who is signed in.
ZONDER_BEZOEKER = frozenset({"pagina.gezond", "pagina.css", "feeds.orgaan",
                             "feeds.persoonlijk_orgaan", "feeds.lid", "feeds.opsteller",
                             "wooindex.robots", "wooindex.sitemap"})


def formuliergeheim() -> str | None:
    """The secret this browser's form tokens derive from: its session cookie, else its form
    cookie."""
    return request.cookies.get(COOKIE) or request.cookies.get(beveiliging.FORMULIER_COOKIE)


def poort() -> Any:
    """A forged Host: 400. A POST from another origin, or without the form's token: 403."""
    geconfigureerd = huidig().geconfigureerd
    if not beveiliging.host_toegestaan(request.host, geconfigureerd):
        log.warning("verzoek voor host %r geweigerd: alleen [web] adres (%s) en loopback",
                    request.host[:100], geconfigureerd or "niet ingesteld")
        return render_template("web/melding.html", titel="Onbekend adres",
                               tekst="Dit portaal is niet bereikbaar onder dit adres."), 400
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        vreemd = beveiliging.herkomst_vreemd(
            request.headers.get("Origin"), request.headers.get("Sec-Fetch-Site"),
            request.headers.get("Referer"), request.host)
        if vreemd or not beveiliging.token_klopt(
                formuliergeheim(), request.form.get(beveiliging.CSRF_VELD)):
            log.warning("formulier geweigerd: %s %s (Origin %r)", request.method,
                        request.path, request.headers.get("Origin"))
            return render_template(
                "web/melding.html", titel="Formulier geweigerd",
                tekst="Dit formulier komt niet van deze pagina, of de pagina was verouderd. "
                      "Open de pagina opnieuw en probeer het nog eens."), 403
    return None


def csrf_token() -> str:
    """The token for this browser's forms (a new form cookie if it has no cookie yet)."""
    geheim = formuliergeheim() or g.get("nieuw_geheim")
    if not geheim:
        geheim = g.nieuw_geheim = opslag.nieuw_token()
    return beveiliging.token(geheim)


def wie() -> None:
    g.nu = clock.now()
    if request.endpoint in ZONDER_BEZOEKER:
        # Health check, stylesheet and calendar feeds (a secret in the URL, or public): no
        # visitor, no session lookup.
        g.bezoeker = toegang.Bezoeker()
        return
    portaal = huidig()
    if time.monotonic() - portaal.laatst_ververst > VERVERS_SECONDEN:
        portaal.laatst_ververst = time.monotonic()
        portaal.env.ververs_definities()
    token = request.cookies.get(COOKIE)
    email = opslag.sessie_email(portaal.env, token) if token else None
    g.bezoeker = toegang.bezoeker(portaal.env.definities, email)


def koppen(response: Response) -> Response:
    veilig = huidig().veilige_cookies
    response.headers.setdefault("Content-Security-Policy", CSP)  # a PDF brings its own
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Sign-in links and feed secrets are in URLs: never send them to another origin as a
    # Referer. Not `no-referrer`: with it a browser sends `Origin: null` on our own forms, and
    # a form with Origin null is refused (workflow.web.beveiliging).
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if veilig and request.is_secure:
        response.headers["Strict-Transport-Security"] = beveiliging.HSTS
    nieuw = g.get("nieuw_geheim")
    if nieuw:
        response.set_cookie(beveiliging.FORMULIER_COOKIE, nieuw, httponly=True, secure=veilig,
                            samesite="Strict", path=request.script_root or "/")
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "private, no-store" \
            if getattr(g, "bezoeker", None) is not None and g.bezoeker.ingelogd else "no-cache"
    return response


def overal() -> dict[str, Any]:
    b = getattr(g, "bezoeker", None) or toegang.Bezoeker()
    return {"bezoeker": b, "nu": getattr(g, "nu", clock.now())}
