"""Demo mode inside the test process, as ``POLICYFLOW_DEMO=1`` sets it up at start-up.

The suite runs with production's shape: no demo app. A test that needs the
demo app switches to demo mode with ``enter_demo_mode(settings)``;
``tests/test_demo_mode.py`` holds this to what policyflow/settings.py adds.
"""

import copy

DEMO_APP = "demo"
DEMO_MIDDLEWARE = "demo.middleware.NotFoundPageMiddleware"
DEMO_CONTEXT_PROCESSOR = "demo.context_processors.demo_accounts"


def demo_settings():
    """The settings demo mode changes, from those in force now (for
    ``override_settings`` over a wider scope than one test)."""
    from django.conf import settings

    def adding(values, value):
        return list(values) if value in values else [*values, value]

    templates = copy.deepcopy(settings.TEMPLATES)
    processors = templates[0]["OPTIONS"]["context_processors"]
    templates[0]["OPTIONS"]["context_processors"] = adding(processors, DEMO_CONTEXT_PROCESSOR)
    return {
        "POLICYFLOW_DEMO": True,
        "INSTALLED_APPS": adding(settings.INSTALLED_APPS, DEMO_APP),
        "MIDDLEWARE": adding(settings.MIDDLEWARE, DEMO_MIDDLEWARE),
        "TEMPLATES": templates,
    }


def enter_demo_mode(settings):
    """Demo mode for one test, through pytest-django's ``settings`` (undone after it)."""
    for name, value in demo_settings().items():
        setattr(settings, name, value)
