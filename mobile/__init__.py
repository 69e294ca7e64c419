"""The grader Kivy app: a phone and desktop client that speaks only the public API."""

DEFAULT_SERVER = "http://127.0.0.1:8000"
