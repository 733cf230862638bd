"""What every page's header needs."""

from django.conf import settings

from workflow import webhooks

# Each language is offered under its own name, so that a reader finds it
# whatever language the page is in now.
NATIVE_NAMES = {"en": "English", "ar": "العربية", "fa": "دری", "ps": "پښتو", "ur": "اردو"}


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "language_choices": [
            (code, NATIVE_NAMES.get(code, str(name))) for code, name in settings.LANGUAGES
        ],
        # Asked only by a page that shows the menu (one query, then kept).
        "manages_webhooks": _once(lambda: user is not None and webhooks.may_manage_webhooks(user)),
    }


def _once(compute):
    answer = []

    def ask():
        if not answer:
            answer.append(compute())
        return answer[0]

    return ask
