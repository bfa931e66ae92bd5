"""E-mails from SkillPath: plain text and HTML, in the recipient's language, site from settings."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Site:
    """What the e-mails call the site: its name and domain, from settings."""

    name: str
    domain: str


def current_site(request=None) -> Site:
    """SITE_NAME, and the host of the address links start with (SITE_URL: site_absolute_uri)."""
    # During a request build_absolute_uri is config.middleware.site_absolute_uri: SITE_URL
    # when configured, else the request's host with its port checked.
    absolute = request.build_absolute_uri("/") if request else settings.SITE_URL
    return Site(name=settings.SITE_NAME, domain=urlsplit(absolute).netloc)


def language_of(email: str) -> str:
    """The language a person chose in their settings, else the active one."""
    chosen = (
        get_user_model()
        .objects.filter(email__iexact=email, profile__language__gt="")
        .values_list("profile__language", flat=True)
        .first()
    )
    return chosen or translation.get_language() or settings.LANGUAGE_CODE


def subject_line(text: str) -> str:
    return f"{settings.SITE_NAME}: {' '.join(text.split())}"


def send(template_prefix: str, to: str, context: dict, language: str | None = None) -> None:
    """Render <prefix>_subject.txt, _message.txt and _message.html in a language, and send."""
    with translation.override(language or language_of(to)):
        context = {"current_site": current_site(context.get("request")), **context}
        subject = render_to_string(f"{template_prefix}_subject.txt", context)
        text = render_to_string(f"{template_prefix}_message.txt", context).strip()
        html = render_to_string(f"{template_prefix}_message.html", context)
        message = EmailMultiAlternatives(subject_line(subject), text, None, [to])
        message.attach_alternative(html, "text/html")
        message.send()


class AccountAdapter(DefaultAccountAdapter):
    """allauth's e-mails named after SkillPath (not the request's host), in the recipient's
    language, with the HTML part our templates add."""

    def format_email_subject(self, subject: str) -> str:
        return subject_line(subject)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        with translation.override(language_of(email)):
            site = current_site(getattr(allauth_context, "request", None))
            super().send_mail(template_prefix, email, {**context, "current_site": site})
