"""The second step of the login (a code from an authenticator app) and the setup of the app."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from tremplin.accounts import two_factor
from tremplin.accounts.forms import CodeForm


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    if request.user.is_verified():
        return redirect(_next(request))
    if not two_factor.confirmed_devices(request.user):
        return redirect("accounts:two_factor_setup")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = two_factor.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error(
            "code", "Code incorrect ou expiré. Après plusieurs erreurs, attendez quelques secondes avant de réessayer."
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    user = request.user
    if two_factor.confirmed_devices(user) and not user.is_verified():
        return redirect("accounts:two_factor_verify")
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if two_factor.confirm(device, form.cleaned_data["code"]):
            otp_login(request, device)
            messages.success(
                request, "Double authentification activée : un code vous sera demandé à chaque connexion."
            )
            return redirect(_next(request))
        form.add_error(
            "code", "Ce code ne correspond pas : vérifiez l'heure du téléphone et saisissez le code actuel."
        )
    uri = device.config_url
    context = {
        "form": form,
        "next": _next(request),
        "required": user.requires_two_factor,
        "active": bool(two_factor.confirmed_devices(user)),
        "uri": uri,
        "secret": two_factor.secret(device),
        "qr_svg": two_factor.qr_svg(uri),
    }
    return render(request, "accounts/two_factor_setup.html", context)
