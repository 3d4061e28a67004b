"""Login protections: the client's address and account name as django-axes counts failures, and the
password rule against the user's own names (see docs/permissions.md, « Connexion »)."""

from django.conf import settings
from django.core.exceptions import ValidationError

from tremplin.core.text import fold


def client_ip(request) -> str | None:
    """The address failures are counted against. Behind TREMPLIN_PROXY_COUNT trusted reverse proxies, the
    address the outermost of them saw (X-Forwarded-For, counted from the right: the client can forge the
    left part); otherwise the connection's address."""
    proxies = settings.TREMPLIN_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if len(addresses) >= proxies:
            return addresses[-proxies]
    return request.META.get("REMOTE_ADDR")


def login_name(request, credentials) -> str:
    """The account name as typed, in lower case: "Alice@…" and "alice@…" are one account (User.save)."""
    username = (credentials or {}).get("username") or request.POST.get("username") or ""
    return username.strip().lower()


class NotOwnNameValidator:
    """Refuse a password that contains the user's first name, last name or e-mail local part (accents,
    case and punctuation ignored): "Camille2024!" for Camille Martin. Parts shorter than 3 letters are
    not compared."""

    MINIMUM = 3

    def _parts(self, user) -> set[str]:
        values = [getattr(user, "first_name", ""), getattr(user, "last_name", "")]
        email = getattr(user, "email", "") or ""
        values.append(email.split("@")[0])
        parts = set()
        for value in values:
            folded = fold(value)
            parts.update(word for word in folded.split() if len(word) >= self.MINIMUM)
            whole = folded.replace(" ", "")
            if len(whole) >= self.MINIMUM:
                parts.add(whole)
        return parts

    def validate(self, password, user=None):
        if user is None:
            return
        folded = fold(password).replace(" ", "")
        for part in sorted(self._parts(user), key=len, reverse=True):
            if part in folded:
                raise ValidationError(
                    "Le mot de passe ne doit contenir ni votre prénom, ni votre nom, ni votre adresse e-mail.",
                    code="password_contains_own_name",
                )

    def get_help_text(self):
        return "Votre mot de passe ne doit contenir ni votre prénom, ni votre nom, ni votre adresse e-mail."


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked account or address: a French page, 429."""
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked.html", {"cooloff_minutes": minutes}, status=429)
