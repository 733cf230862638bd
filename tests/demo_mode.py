"""Demo mode inside the test process, as ``POLICYFLOW_DEMO=1`` sets it up at start-up.

The suite runs with production's shape: no demo app. A test that needs the
demo app switches to demo mode with ``enter_demo_mode(settings)``;
``tests/test_demo_mode.py`` holds this to what policyflow/settings.py adds.
"""

import copy

DEMO_APP = "demo"
DEMO_MIDDLEWARE = "demo.middleware.NotFoundPageMiddleware"
DEMO_CONTEXT_PROCESSOR = "demo.context_processors.demo_accounts"


def enter_demo_mode(settings):
    """Demo mode for one test, through pytest-django's ``settings`` (undone after it)."""
    settings.POLICYFLOW_DEMO = True
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, DEMO_APP]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, DEMO_MIDDLEWARE]
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].append(DEMO_CONTEXT_PROCESSOR)
    settings.TEMPLATES = templates
