"""The .docx engine: pure functions over bytes, no Django models.

``validate`` decides whether an upload may be opened at all; ``extract``
reads it the way a person reading it in Word would; ``compare`` aligns two
versions; ``preview``, ``redline`` and ``records`` render HTML and .docx.
"""
