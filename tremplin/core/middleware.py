"""Session and cache protections for every page a logged-in user sees."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.cache import add_never_cache_headers

LAST_ACTIVITY = "_tremplin_last_activity"
# The session (and its cookie) is renewed at most this often: SESSION_COOKIE_AGE then counts from the last
# activity, give or take these seconds, without a database write on every request.
RENEW_EVERY = 300


class NoStoreMiddleware:
    """Pages and downloads shown to a logged-in user hold personal data: no browser or proxy keeps a copy
    (Cache-Control: no-store), so the back button after logout or a shared computer shows nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class SessionActivityMiddleware:
    """A session ends after SESSION_COOKIE_AGE without activity (a working day), not after a fixed time
    from the login: activity renews it, at most every RENEW_EVERY seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(LAST_ACTIVITY, 0) >= RENEW_EVERY:
                request.session[LAST_ACTIVITY] = now  # modified: saved with a new expiry date
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="tremplin_session_activity_at_login")
def _stamp_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = int(time.time())
