"""The demo's pages answer as production's do, although the demo runs with DEBUG."""

from django.conf import settings
from django.shortcuts import render


class NotFoundPageMiddleware:
    """A 404 shows the app's own page, not Django's technical one.

    ``make demo`` runs with DEBUG on (runserver then serves the static
    files), and Django's technical 404 lists every URL pattern: not what a
    person trying the demo should read on opening a policy they do not
    take part in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return render(request, "404.html", status=404)
        return response
