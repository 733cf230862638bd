"""The kinds of event people can be told about, as the apps that send them declare.

Apps above this one register their events (code and label) when they are
ready; the preferences page lists them. This app never needs to know what
an event is about.
"""

_KINDS = {}


def register(code, label):
    _KINDS[code] = label


def kinds():
    """(code, label) of every registered event, in registration order."""
    return list(_KINDS.items())
