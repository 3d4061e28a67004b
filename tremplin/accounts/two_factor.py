"""Two-factor authentication (TOTP, django-otp): after the password, a 6-digit code from an authenticator
app (FreeOTP, Google Authenticator, Aegis…).

Required for the accounts that see every record (`User.requires_two_factor`: coordination, assistance,
direction, superusers and technical staff); any other user may turn it on, and is then asked for a code at
each login too. `TREMPLIN_REQUIRE_2FA` (True by default) switches the whole check off only in the test
settings, where users log in without a phone. A lost phone: an administrator deletes the user's device in
the admin (« Appareils TOTP ») and the user sets up a new one at the next login."""

import base64

from django.conf import settings
from django.urls import reverse
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Application d'authentification"
# The demo's staff accounts share this published key (RFC 4226's test key): `manage.py demo_code` prints
# their current code. Never load the demo in production.
DEMO_DEVICE_NAME = "Démonstration"
DEMO_KEY = "3132333435363738393031323334353637383930"


def next_step(user) -> str | None:
    """Where a logged-in user must go before anything else: "verify" (a code for the device they have),
    "setup" (a device to register, their role requires one), or None."""
    if not settings.TREMPLIN_REQUIRE_2FA or not user.is_authenticated or user.is_verified():
        return None
    if user_has_device(user, confirmed=True):
        return "verify"
    if user.requires_two_factor:
        return "setup"
    return None


def exempt_paths() -> set[str]:
    """The pages a user who still owes a code may open."""
    return {
        reverse("accounts:two_factor_verify"),
        reverse("accounts:two_factor_setup"),
        reverse("accounts:logout"),
    }


def confirmed_devices(user) -> list:
    return list(devices_for_user(user, confirmed=True))


def pending_device(user) -> TOTPDevice:
    """The device being set up (not confirmed until a first code is given), created once."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret(device: TOTPDevice) -> str:
    """The key as authenticator apps type it (base32), in groups of four."""
    text = base64.b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(uri: str) -> str | None:
    """The otpauth URI as an inline SVG QR code, or None when the qrcode package is not installed (the
    page then shows the key to type)."""
    try:
        import qrcode
        import qrcode.image.svg
    except ImportError:
        return None
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def verify(user, code: str):
    """The confirmed device that accepts this code, or None. Each device throttles failures itself
    (growing delays) and refuses a code already used."""
    code = "".join(code.split())
    for device in confirmed_devices(user):
        if device.verify_token(code):
            return device
    return None


def confirm(device: TOTPDevice, code: str) -> bool:
    """Register the device being set up if the code matches it; other devices of the user are removed
    (one phone per account)."""
    if not device.verify_token("".join(code.split())):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def give_demo_devices(users) -> int:
    """A confirmed device with the demo key for each of these users whose role requires one and who has none;
    returns how many were created."""
    created = 0
    for user in users:
        if user.requires_two_factor and not user_has_device(user, confirmed=None):
            TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=DEMO_KEY, confirmed=True)
            created += 1
    return created


def demo_code() -> str:
    """The current code of the demo key."""
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(DEMO_KEY)):06d}"
