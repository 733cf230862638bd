from policyflow.formats import *  # noqa: F403 (the same formats in every language)

# The Arabic comma between the date and the time.
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATETIME_FORMAT = "j M Y، H:i"
