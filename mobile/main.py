"""Entry point for buildozer/python-for-android, which runs ``main.py``."""

from mobile.__main__ import main

main([])
