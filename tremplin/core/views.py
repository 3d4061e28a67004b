from django.http import HttpResponseForbidden
from django.template import loader


def csrf_failure(request, reason=""):
    """The CSRF refusal in French, in the app's layout, with a way back (Django's page is bare English)."""
    template = loader.get_template("403_csrf.html")
    return HttpResponseForbidden(template.render({"reason": reason}, request))
