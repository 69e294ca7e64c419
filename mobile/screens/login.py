"""Sign in or create an account; the server's address is set here too."""

from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty
from kivy.uix.screenmanager import Screen

from mobile.screens import load_kv

load_kv("login")


class LoginScreen(Screen):
    signing_up = BooleanProperty(False)

    def submit(self) -> None:
        app = App.get_running_app()
        ids = self.ids
        app.set_server(ids.server.text)
        if self.signing_up:
            app.sign_up(ids.email.text.strip(), ids.login.text.strip(), ids.password.text)
        else:
            app.sign_in(ids.login.text.strip(), ids.password.text)


SCREEN_CLASS = LoginScreen
