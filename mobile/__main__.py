"""``python -m mobile --server URL``: start the app on the desktop."""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mobile", description="The grader Kivy app.")
    parser.add_argument("--server", help="the grader server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--data-dir", help="where tokens, settings and the offline queue live")
    args = parser.parse_args(argv)
    os.environ.setdefault("KIVY_NO_ARGS", "1")  # our arguments are not Kivy's

    from kivy.config import Config

    Config.set("graphics", "width", "420")
    Config.set("graphics", "height", "780")
    Config.set("input", "mouse", "mouse,multitouch_on_demand")

    from mobile.app import GraderApp

    GraderApp(server_url=args.server, data_dir=args.data_dir).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
