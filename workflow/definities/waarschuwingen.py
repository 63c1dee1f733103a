"""What `definities controleer` warns about without refusing: files it will not read, and one
e-mail address used for different people.

A member who sits in several bodies has the same address in each (the shipped definitions do
this nine times): that is no warning. The same address under two different names is: two people
would share one inbox, or one of them has a typo, and reminders go to the wrong person.
"""

from __future__ import annotations

from pathlib import Path

from workflow.definities.bestandsnamen import SUBMAPPEN, definitiebestanden
from workflow.definities.model import Definities


def waarschuwingen(map_: Path, definities: Definities) -> list[str]:
    return [*niet_gelezen(map_), *gedeelde_adressen(definities)]


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
