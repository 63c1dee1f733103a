"""`besluitroute web` under gunicorn: a pre-fork WSGI server (workers are processes, so two cores
serve two requests at once; a worker that dies is replaced)."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from workflow.web.bronnen import Omgeving


class Portaalserver(BaseApplication):  # type: ignore[misc]
    def __init__(self, env: Omgeving, opties: dict[str, Any], *, veilige_cookies: bool,
                 proxies: int, adres: str) -> None:
        self.env = env
        self.opties = opties
        self.veilige_cookies = veilige_cookies
        self.proxies = proxies
        self.adres = adres
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.opties.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from workflow.web.app import maak_app

        return maak_app(self.env, veilige_cookies=self.veilige_cookies, proxies=self.proxies,
                        adres=self.adres)


def draai(env: Omgeving, *, host: str, port: int, workers: int, veilige_cookies: bool,
          proxies: int, adres: str, toegangslog: bool = False) -> None:
    """Serve until SIGTERM/SIGINT. The database engine is made per worker (after the fork)."""
    env.sluit()  # the master's connections must not be shared with the workers

    def post_fork(_server: Any, _worker: Any) -> None:
        if "db" in env.__dict__:
            env.db.engine.dispose(close=False)

    opties = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "sync",
        "timeout": 60,
        "graceful_timeout": 10,
        "preload_app": True,
        "post_fork": post_fork,
        "accesslog": "-" if toegangslog else None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "besluitroute-web",
        "forwarded_allow_ips": "127.0.0.1,::1",
    }
    Portaalserver(env, opties, veilige_cookies=veilige_cookies, proxies=proxies,
                  adres=adres).run()
