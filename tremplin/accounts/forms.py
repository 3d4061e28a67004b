from django import forms
from django.contrib.auth.forms import AuthenticationForm

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User


class LoginForm(AuthenticationForm):
    username = forms.EmailField(label="Adresse e-mail", widget=forms.EmailInput(attrs={"autofocus": True}))
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


class MemberForm(forms.Form):
    """Add a member to a structure: an existing account (by e-mail) or a new one."""

    email = forms.EmailField(label="Adresse e-mail")
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)
    job_title = forms.CharField(label="Fonction", max_length=150, required=False)

    def clean_email(self):
        return self.cleaned_data["email"].lower()

    def existing_user(self):
        return User.objects.filter(email=self.cleaned_data["email"]).first()


class CodeForm(forms.Form):
    """The 6-digit code of an authenticator app."""

    code = forms.CharField(
        label="Code à 6 chiffres",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("Saisissez les 6 chiffres affichés par l'application.")
        return code
