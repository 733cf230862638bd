"""The PDF intake: pure functions over bytes, no Django models (a sibling of ``docx``)."""
