"""One module and one ``.kv`` layout per screen; each module exports ``SCREEN_CLASS``."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder

HERE = Path(__file__).parent


def load_kv(name: str) -> None:
    """Load ``<name>.kv`` beside the screen's module, once."""
    path = str(HERE / f"{name}.kv")
    if path not in Builder.files:
        Builder.load_file(path)
