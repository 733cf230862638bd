"""What every page's header needs."""

from django.conf import settings

# Each language is offered under its own name, so that a reader finds it
# whatever language the page is in now.
NATIVE_NAMES = {"en": "English", "ar": "العربية", "fa": "دری", "ps": "پښتو", "ur": "اردو"}


def navigation(request):
    return {
        "language_choices": [
            (code, NATIVE_NAMES.get(code, str(name))) for code, name in settings.LANGUAGES
        ]
    }
