"""E-mail addresses as besluitroute keeps them: checked offline, normalised, lower case."""

from __future__ import annotations


class OngeldigAdres(ValueError):
    """An address email-validator refuses; the message is Dutch and names the address."""


def normaliseer(text: str) -> str:
    """The normalised form of `text`, or OngeldigAdres. No DNS: checked offline, and the
    `.example` and `.test` domains of placeholders are fine."""
    from email_validator import EmailNotValidError, validate_email

    try:
        result = validate_email(text, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise OngeldigAdres(f"ongeldig e-mailadres '{text}' ({_reden(str(exc))})") from None
    return result.normalized.lower()


def _reden(reason: str) -> str:
    if "@-sign" in reason:
        return "er ontbreekt een @" if "must have an @" in reason else "fout rond de @"
    if "domain" in reason.lower():
        return "ongeldig domein"
    return "ongeldige vorm"
