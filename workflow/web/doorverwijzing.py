"""A redirect in Dutch. Flask's `redirect()` and werkzeug's own redirects (a missing trailing
slash, `/oparl/v1` to `/oparl/v1/`) answer with an English "Redirecting..." page in `lang=en`;
every redirect of the portal gets this short Dutch page instead. Browsers follow the Location
header and never show it, but a screen reader, curl or a client that does not follow does."""

from __future__ import annotations

from flask import Flask, Response
from markupsafe import escape

PAGINA = ('<!doctype html>\n<html lang="nl">\n<head><meta charset="utf-8">'
          '<title>Doorverwijzing</title></head>\n<body>\n<h1>Doorverwijzing</h1>\n'
          '<p>Deze pagina staat op een ander adres: <a href="{adres}">{adres}</a>.</p>\n'
          '</body>\n</html>\n')


def nederlands(response: Response) -> Response:
    """A 3xx with a Location and an HTML body gets the Dutch page as its body."""
    if 300 <= response.status_code < 400 and response.location \
            and response.mimetype == "text/html":
        response.set_data(PAGINA.format(adres=escape(response.location)))
    return response


def installeer(app: Flask) -> None:
    app.after_request(nederlands)
