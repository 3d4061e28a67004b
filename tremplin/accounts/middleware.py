from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect

from tremplin.accounts import two_factor


class TwoFactorMiddleware:
    """After the password, a user who owes a second factor (tremplin.accounts.two_factor.next_step) is sent to
    the code page, or to the device setup page, whatever the page asked (admin included). After django_otp's
    OTPMiddleware, which tells whether this session gave a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        step = two_factor.next_step(request.user)
        if (
            step
            and request.path not in two_factor.exempt_paths()
            and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        ):
            target = "accounts:two_factor_verify" if step == "verify" else "accounts:two_factor_setup"
            response = redirect(target)
            if request.method == "GET":
                response["Location"] += "?" + urlencode({"next": request.get_full_path()})
            return response
        return self.get_response(request)
