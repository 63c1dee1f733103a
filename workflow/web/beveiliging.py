"""The portal's guards on every request: which Host it answers, forms that cannot be forged
(a CSRF token bound to the session, and the Origin), and HSTS behind TLS.

The CSRF token is the SHA-256 of a secret the browser holds in an HttpOnly cookie: the session
cookie once signed in, before that a random form cookie (`besluitroute_formulier`). Another site
can make the browser send the cookies, but cannot read them, so it cannot put the token in its
form. Nothing is stored: the token follows from the cookie.
"""

from __future__ import annotations

import hmac
import ipaddress
from urllib.parse import urlsplit

from workflow.web.opslag import hash_van

FORMULIER_COOKIE = "besluitroute_formulier"
CSRF_VELD = "csrf"
#: One year, with subdomains: only behind TLS (a browser ignores it over plain http anyway).
HSTS = "max-age=31536000; includeSubDomains"


def token(geheim: str) -> str:
    """The form token for a cookie secret (a new secret: `opslag.nieuw_token`)."""
    return hash_van(f"besluitroute-formulier|{geheim}")


def token_klopt(geheim: str | None, gegeven: str | None) -> bool:
    return bool(geheim) and bool(gegeven) and hmac.compare_digest(
        token(geheim or ""), (gegeven or "")[:128])


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost (a bind address or a Host header without its port)."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def hostnaam(host: str) -> str:
    """The name of a Host header without the port: `[::1]:8000` -> `::1`."""
    return (urlsplit("//" + host).hostname or "").lower()


def host_toegestaan(host: str, adres: str) -> bool:
    """The Host (after the proxy's X-Forwarded-Host) is that of `[web] adres`, or loopback
    (a health check on the machine itself). Anything else is a forged Host."""
    naam = hostnaam(host)
    if not naam:
        return False
    if adres and naam == hostnaam(urlsplit(adres).netloc):
        return True
    return is_loopback(naam)


def herkomst_vreemd(origin: str | None, sec_fetch_site: str | None, referer: str | None,
                    host: str) -> bool:
    """A state-changing request from another origin: an `Origin` of another host or `null`,
    or, without Origin, a browser saying cross-site (Sec-Fetch-Site) or a Referer elsewhere.
    A client that sends none of them (curl, a test) still needs the token."""
    if origin is not None:
        return origin == "null" or not _zelfde_host(urlsplit(origin).netloc, host)
    if sec_fetch_site is not None and sec_fetch_site not in ("same-origin", "none"):
        return True
    return bool(referer) and not _zelfde_host(urlsplit(referer or "").netloc, host)


def _zelfde_host(netloc: str, host: str) -> bool:
    """The host of an Origin or Referer is ours. Behind nginx `Host: $host` carries no port
    while the browser's Origin does (a site on :8443): then the names are compared."""
    netloc, host = netloc.lower(), host.lower()
    if netloc == host:
        return True
    return ":" not in host.rsplit("]", 1)[-1] and hostnaam(netloc) == hostnaam(host)
