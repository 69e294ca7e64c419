"""Start grader the way `make run` does: migrate, load the demo course, serve."""

import sys

from app.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["serve", *sys.argv[1:]]))
