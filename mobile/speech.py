"""Text to speech where the platform has one: plyer's TTS (Android, iOS, macOS, Windows)
or espeak-ng/espeak on a Linux desktop. ``speaker()`` is None when neither is there."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable

Speaker = Callable[[str, str], None]


def speaker() -> Speaker | None:
    try:
        from plyer import tts  # type: ignore[import-not-found]

        def speak_plyer(text: str, _language: str) -> None:
            tts.speak(message=text)

        return speak_plyer
    except ImportError:
        pass  # plyer is optional: fall back to espeak on a desktop
    for program in ("espeak-ng", "espeak"):
        path = shutil.which(program)
        if path:

            def speak_espeak(text: str, language: str, path: str = path) -> None:
                subprocess.Popen([path, "-v", language, "--", text])  # noqa: S603

            return speak_espeak
    return None
