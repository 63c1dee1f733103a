"""What `definities controleer` warns about without refusing: files it will not read, one
e-mail address used for different people, and bodies without meetings in the coming 12 months
(a route through them cannot be planned, a duty not held).

A member who sits in several bodies has the same address in each (the shipped definitions do
this nine times): that is no warning. The same address under two different names is: two people
would share one inbox, or one of them has a typo, and reminders go to the wrong person.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from workflow.definities.bestandsnamen import SUBMAPPEN, definitiebestanden
from workflow.definities.model import Definities

#: How far ahead every body should have a meeting defined.
VOORUIT = timedelta(days=365)


def waarschuwingen(map_: Path, definities: Definities, nu: datetime | None = None) -> list[str]:
    """Every warning; those about the calendar only with `nu` (the moment acted as)."""
    agenda = zonder_vergaderingen(definities, nu) if nu is not None else []
    return [*niet_gelezen(map_), *gedeelde_adressen(definities), *agenda]


def zonder_vergaderingen(definities: Definities, nu: datetime) -> list[str]:
    """Bodies with no meeting (not cancelled) in the 12 months after `nu`, each with its last
    meeting: the calendar needs a rhythm that reaches further."""
    from workflow.basis.tekst import datum
    from workflow.definities import ritme

    meldingen = []
    for sleutel in sorted(definities.organen):
        orgaan = definities.organen[sleutel]
        begins = [m.begin for m in ritme.vergaderingen(orgaan) if not m.geannuleerd]
        if any(nu < b <= nu + VOORUIT for b in begins):
            continue
        eerder = [b for b in begins if b <= nu]
        laatste = f" (de laatste was {datum(max(eerder))})" if eerder else ""
        meldingen.append(f"orgaan {sleutel}: geen vergadering gedefinieerd in de 12 maanden "
                         f"na {datum(nu)}{laatste}; vul de ritmes aan")
    return meldingen


def niet_gelezen(map_: Path) -> list[str]:
    """Files in organen/ and routes/ that the reader skips (not .yaml): a body in `aoj.txt` or
    `aoj.yaml.bak` is silently absent otherwise."""
    meldingen = []
    for sub in SUBMAPPEN:
        try:
            namen = sorted(p for p in (map_ / sub).iterdir() if not p.name.startswith("."))
        except OSError:
            continue
        gelezen = set(definitiebestanden(map_ / sub))
        for pad in namen:
            if pad in gelezen:
                continue
            soort = "map" if pad.is_dir() else "bestand"
            meldingen.append(f"{sub}/{pad.name}: {soort} wordt niet gelezen (alleen "
                             f"*.yaml-bestanden in {sub}/)")
    return meldingen


def gedeelde_adressen(definities: Definities) -> list[str]:
    """One address for two different names, in two places: both places named."""
    from workflow.basis.tekst import citeer

    eerste: dict[str, tuple[str, str]] = {}
    meldingen = []
    for sleutel in sorted(definities.organen):
        orgaan = definities.organen[sleutel]
        mensen = [(f"secretaris {orgaan.secretaris.naam}", orgaan.secretaris.naam,
                   orgaan.secretaris.email),
                  *((f"lid {lid.naam}", lid.naam, lid.email) for lid in orgaan.leden)]
        for rol, naam, adres in mensen:
            sleutel_adres = adres.casefold()
            plek = f"orgaan {sleutel} ({rol})"
            if sleutel_adres not in eerste:
                eerste[sleutel_adres] = (naam, plek)
                continue
            eerste_naam, eerste_plek = eerste[sleutel_adres]
            if eerste_naam != naam:
                meldingen.append(f"e-mailadres {citeer(adres)} staat bij {eerste_plek} en bij "
                                 f"{plek}: twee namen voor één adres")
    return meldingen
