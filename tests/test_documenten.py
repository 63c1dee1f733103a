"""Documents of a proposal: registered with name, size, sha256 and version (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import select, text

from workflow.basis import clock
from workflow.basis.clock import TZ
from workflow.omgeving import Omgeving
from workflow.opslag.models import Gebeurtenis
from workflow.voorstellen import indienen, kern
from workflow.voorstellen.documenten import Bijlage

Besluitroute = Callable[..., Result]


@pytest.fixture
def kenmerk(omgeving: Omgeving) -> str:
    clock.act_as(datetime(2021, 6, 1, 9, tzinfo=TZ))
    return indienen.indienen(omgeving, titel="Procesvoorstel cliëntparticipatie",
                               route="grjr-procesvoorstel", opsteller="Anja Jongerius",
                               door="secretariaat", beslispunten=("Instemmen",))


def bijlagen(env: Omgeving, kenmerk: str) -> list[tuple[str, int, int, str]]:
    with env.db.lees() as session:
        voorstel = kern.haal_voorstel(session, kenmerk)
        return [(b.naam, b.versie, b.grootte, b.sha256) for b in session.scalars(
            select(Bijlage).where(Bijlage.voorstel_id == voorstel.id).order_by(Bijlage.id))]


def test_a_document_is_registered_with_size_hash_and_version_1(
        omgeving: Omgeving, besluitroute: Besluitroute, kenmerk: str, tmp_path: Path):
    plan = tmp_path / "plan-van-aanpak.pdf"
    plan.write_bytes(b"%PDF-1.4 versie een")

    result = besluitroute("voorstel", "bijlage", kenmerk, str(plan), "--omschrijving",
                          "Plan van aanpak JSO", "--door", "kwartiermaker", nu="2021-06-02")

    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"plan-van-aanpak.pdf geregistreerd bij voorstel {kenmerk} " \
                            "(versie 1, 19 bytes)\n"
    assert bijlagen(omgeving, kenmerk) == [
        ("plan-van-aanpak.pdf", 1, 19, hashlib.sha256(b"%PDF-1.4 versie een").hexdigest())]


def test_a_changed_file_becomes_a_new_version_and_an_identical_one_is_not_added(
        omgeving: Omgeving, besluitroute: Besluitroute, kenmerk: str, tmp_path: Path):
    plan = tmp_path / "plan-van-aanpak.pdf"
    plan.write_bytes(b"versie een")
    besluitroute("voorstel", "bijlage", kenmerk, str(plan), nu="2021-06-02")

    plan.write_bytes(b"versie twee, langer")
    gewijzigd = besluitroute("voorstel", "bijlage", kenmerk, str(plan), nu="2021-06-03")
    nogmaals = besluitroute("voorstel", "bijlage", kenmerk, str(plan), nu="2021-06-04")
    kopie = tmp_path / "kopie.pdf"
    kopie.write_bytes(b"versie twee, langer")
    andere_naam = besluitroute("voorstel", "bijlage", kenmerk, str(kopie), nu="2021-06-04")

    assert gewijzigd.stdout == f"plan-van-aanpak.pdf is gewijzigd: geregistreerd als versie 2 " \
                               f"bij voorstel {kenmerk} (was versie 1)\n"
    assert nogmaals.exit_code == 0
    assert nogmaals.stdout == f"plan-van-aanpak.pdf is ongewijzigd: al geregistreerd (versie 2) " \
                              f"bij voorstel {kenmerk}; niet opnieuw toegevoegd\n"
    assert andere_naam.stdout == f"kopie.pdf is ongewijzigd: al geregistreerd als " \
                                 f"'plan-van-aanpak.pdf' (versie 2) bij voorstel {kenmerk}; " \
                                 "niet opnieuw toegevoegd\n"
    assert [(n, v) for n, v, _, _ in bijlagen(omgeving, kenmerk)] == [
        ("plan-van-aanpak.pdf", 1), ("plan-van-aanpak.pdf", 2)]


def test_registration_is_in_the_proposals_history(omgeving: Omgeving, besluitroute: Besluitroute,
                                                  kenmerk: str, tmp_path: Path):
    plan = tmp_path / "praatplaat.pdf"
    plan.write_bytes(b"praatplaat")
    besluitroute("voorstel", "bijlage", kenmerk, str(plan), "--omschrijving", "Praatplaat",
                 "--door", "kwartiermaker", nu="2021-06-02T11:00")

    with omgeving.db.lees() as session:
        [rij] = session.scalars(select(Gebeurtenis).where(Gebeurtenis.handeling == "bijlage"))
    assert rij.door == "kwartiermaker"
    assert rij.tijdstip == datetime(2021, 6, 2, 11, tzinfo=TZ)
    assert rij.tekst == f"praatplaat.pdf versie 1 (10 bytes, sha256 " \
                        f"{hashlib.sha256(b'praatplaat').hexdigest()[:12]}): Praatplaat"


def test_documents_appear_on_the_cover_sheet(besluitroute: Besluitroute, kenmerk: str,
                                             omgeving: Omgeving, tmp_path: Path):
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(b"x" * 12_345)
    besluitroute("voorstel", "bijlage", kenmerk, str(plan), nu="2021-06-02")

    blad = besluitroute("voorstel", "document", kenmerk, "--formaat", "tekst")

    assert "- plan.pdf (versie 1, 12 kB)" in blad.stdout


@pytest.mark.parametrize(("pad", "melding"), [
    ("bestaat-niet.pdf", "fout: bestand {tmp}/bestaat-niet.pdf bestaat niet\n"),
])
def test_a_missing_file_is_one_dutch_line_and_nothing_is_written(
        omgeving: Omgeving, besluitroute: Besluitroute, kenmerk: str, tmp_path: Path, pad: str,
        melding: str):
    result = besluitroute("voorstel", "bijlage", kenmerk, str(tmp_path / pad))

    assert result.exit_code == 2
    assert result.stderr == melding.format(tmp=tmp_path)
    assert bijlagen(omgeving, kenmerk) == []


def test_unknown_proposal_is_refused(omgeving: Omgeving, besluitroute: Besluitroute,
                                     tmp_path: Path):
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(b"x")
    result = besluitroute("voorstel", "bijlage", "2099-999", str(plan))
    assert result.exit_code == 2
    assert result.stderr.startswith("fout: onbekend voorstel '2099-999'")
    with omgeving.db.lees() as session:
        assert session.scalar(text("SELECT count(*) FROM gebeurtenis WHERE handeling='bijlage'")) \
            == 0
