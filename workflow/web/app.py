"""The portal as a WSGI application (Flask): the factory that wires the blueprints (workflow.web
.blueprints, OParl, Woo-index), the request hooks (workflow.web.verzoek) and the HTTP status per
error (workflow.web.fouten). Read-only on the domain: the only writes are the portal's own
sign-in links, sessions, feed secrets and the sign-in mail in the outbox.
"""

from __future__ import annotations

from flask import Flask
from jinja2 import FileSystemLoader, StrictUndefined
from werkzeug.middleware.proxy_fix import ProxyFix

from workflow.web import doorverwijzing, fouten, oparl, verzoek, wooindex
from workflow.web.blueprints import documenten, feeds, inloggen, paginas, secretariaat
from workflow.web.blueprints.inloggen import COOKIE
from workflow.web.bronnen import GebruikersFout, NietGevonden, Omgeving, meegeleverd, rendering, tekst
from workflow.web.portaal import SLEUTEL, Portaal
from workflow.web.verzoek import CSP


def maak_app(env: Omgeving, *, veilige_cookies: bool = True, proxies: int = 1,
             adres: str = "") -> Flask:
    """The portal for `env`'s configuration and database.

    `veilige_cookies`: the session cookie is Secure and HSTS is sent (the portal is behind TLS);
    only for plain http on localhost switch it off. `proxies`: how many proxies in front set
    X-Forwarded-* (nginx: 1), 0 when the server faces the browser directly. `adres`: the public
    address for sign-in links when `[web] adres` is not set (`web` passes its loopback address)."""
    app = Flask("workflow.web", static_folder=None, template_folder=None)
    _sjablonen(app)
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024
    doorverwijzing.installeer(app)  # redirects in Dutch, not werkzeug's English page
    if proxies:
        # X-Forwarded-For/-Proto/-Host/-Prefix from the proxy in front (nginx with a path prefix).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,  # type: ignore[method-assign]
                                x_host=proxies, x_prefix=proxies)
    geconfigureerd = (env.instellingen.web_adres or "").rstrip("/")
    portaal = Portaal(env=env, veilige_cookies=veilige_cookies,
                      adres=geconfigureerd or adres.rstrip("/"), geconfigureerd=geconfigureerd)
    portaal.bezorger = inloggen.bezorger(portaal)
    app.extensions[SLEUTEL] = portaal

    app.before_request(verzoek.poort)
    app.before_request(verzoek.wie)
    app.after_request(verzoek.koppen)
    app.context_processor(verzoek.overal)
    app.jinja_env.globals["csrf_token"] = verzoek.csrf_token
    app.register_error_handler(404, fouten.niet_gevonden)
    app.register_error_handler(GebruikersFout, fouten.gebruikersfout)

    for bp in (paginas.bp, inloggen.bp, feeds.bp, documenten.bp, secretariaat.bp):
        app.register_blueprint(bp)
    app.register_blueprint(oparl.blueprint(env))  # OParl 1.1, published data only
    app.register_blueprint(wooindex.blueprint(env))  # robots.txt and the Woo-index sitemaps
    return app


def _sjablonen(app: Flask) -> None:
    app.jinja_loader = FileSystemLoader(str(meegeleverd("sjablonen")))
    app.jinja_env.undefined = StrictUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters.update(
        datum=rendering._filter(tekst.datum), dag_datum=rendering._filter(tekst.dag_datum),
        tijd=rendering._filter(tekst.tijd), datum_tijd=rendering._filter(tekst.datum_tijd),
        css_tekst=rendering.css_tekst)


__all__ = ["COOKIE", "CSP", "NietGevonden", "maak_app"]
