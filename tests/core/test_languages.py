"""The four interface languages: the switch, unknown codes (pages fall back visibly, typed
codes are refused clearly), the command's language and the OAS's country names."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.utils import translation

from cicte.core.languages import UnknownLanguage, check_language, codes, command_language
from cicte.directory.countries import country_name, resolve_member_state


def test_the_four_oas_languages():
    assert codes() == ("en", "es", "fr", "pt")
    assert check_language("FR") == "fr"
    assert check_language("pt-BR") == "pt"
    assert check_language("es_ES") == "es"
    with pytest.raises(UnknownLanguage, match=r'Unknown language "xx": use one of en, es, fr, pt'):
        check_language("xx")


def test_command_language_from_the_environment():
    assert command_language({}) is None
    assert command_language({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert command_language({"LANG": "pt_BR.UTF-8", "LC_ALL": "es_MX.UTF-8"}) == "es"
    assert command_language({"LANG": "C.UTF-8"}) is None
    assert command_language({"LANG": "de_DE.UTF-8"}) is None
    assert command_language({"CICTE_LANGUAGE": "pt", "LANG": "fr_FR.UTF-8"}) == "pt"
    with pytest.raises(UnknownLanguage):
        command_language({"CICTE_LANGUAGE": "xx"})


def _cicte(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    environ.pop("CICTE_LANGUAGE", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "cicte", *args],
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_speaks_french_and_refuses_an_unknown_language():
    bad = _cicte("reindex", "no-such-scope", CICTE_LANGUAGE="xx")
    assert bad.returncode == 2
    assert (
        bad.stderr == 'cicte: CICTE_LANGUAGE: Unknown language "xx": use one of en, es, fr, pt.\n'
    )
    french = _cicte("reindex", "no-such-scope", LANG="fr_FR.UTF-8")
    assert french.returncode != 0
    assert "Champ de recherche inconnu" in french.stderr


def test_the_switch_offers_the_four_languages_in_their_own_names(client, db):
    page = client.get("/").content.decode()
    for code, name in (
        ("en", "English"),
        ("es", "Español"),
        ("fr", "Français"),
        ("pt", "Português"),
    ):
        assert f'<option value="{code}"' in page
        assert f'lang="{code}">{name}</option>' in page


def test_choosing_french_without_javascript(client, db):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="fr">' in page
    assert "Plans de travail" in page


def test_unknown_languages_fall_back_visibly(client, db):
    # An unknown Accept-Language: the English interface, and the menu says English.
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="xx").content.decode()
    assert '<html lang="en">' in page
    assert '<option value="en" selected' in page
    # An unknown choice in the menu changes nothing; ?lang=xx is not a language switch.
    assert client.post("/i18n/setlang/", {"language": "xx", "next": "/"}).status_code == 302
    response = client.get("/?lang=xx", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()


def test_member_state_names_in_french_and_portuguese():
    assert country_name("MEX", "fr") == "Mexique"
    assert country_name("KNA", "fr") == "Saint-Kitts-et-Nevis"  # the OAS's, not CLDR's
    assert country_name("SLV", "fr") == "El Salvador"
    assert country_name("VCT", "fr") == "Saint-Vincent-et-les-Grenadines"
    assert country_name("KNA", "pt") == "São Cristóvão e Névis"
    assert country_name("BRA", "pt") == "Brasil"
    assert resolve_member_state("Saint-Kitts-et-Nevis") == "KNA"
    assert resolve_member_state("Saint-Christophe-et-Niévès") == "KNA"


def test_member_state_str_follows_the_active_language(db):
    from cicte.directory.models import MemberState

    state = MemberState.objects.get(code="USA")
    with translation.override("fr"):
        assert str(state) == "États-Unis"
    with translation.override("pt"):
        assert str(state) == "Estados Unidos"


def test_an_e_mail_in_french(db, monkeypatch):
    from cicte.access.models import Role
    from cicte.accounts import services
    from tests.accounts.factories import user_with_role

    sent: list[dict] = []
    monkeypatch.setattr(services, "mail_enqueue", lambda **mail: sent.append(mail))
    user = user_with_role(Role.DONOR, username="marie", email="marie@example.org")
    user.first_name = "Marie"
    with translation.override("fr"):
        services.send_invitation(user=user, base_url="https://cicte.example")
    assert sent[0]["subject"] == "Votre compte du plan de travail du CICTE"
    assert "Un compte a été créé pour vous" in sent[0]["body"]
    assert "https://cicte.example/" in sent[0]["body"]


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("es", "Comité Interamericano contra el Terrorismo"),
        ("fr", "Comité interaméricain contre le terrorisme"),
        ("pt", "Comitê Interamericano contra o Terrorismo"),
    ],
)
def test_the_home_page_names_the_committee_as_the_oas_does(client, db, settings, language, name):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/").content.decode()
    assert f'<html lang="{language}">' in page
    assert name in page
