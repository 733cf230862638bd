"""Text that leaves as plain text (an email, a subject, a page title) carries no bidi controls.

On a page, names and titles sit in ``<bdi>``: a right-to-left override
(U+202E) typed into a title turns round only that title. Plain text has no
such element, so there an override would reverse the rest of the line,
the words around the title included ("… for approval" shown backwards).
The embedding, override and isolate controls are removed; the marks
(U+200E, U+200F, U+061C) stay, as they only steer the characters around
them and right-to-left text needs them.
"""

# LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI, as a ``str.translate`` table.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def without_bidi_controls(text):
    return str(text).translate(BIDI_CONTROLS)
