#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import gc
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
    # The command is done and the process is ending. Python's exit would walk every object it holds
    # (~100,000: Django, pandas and the command's own) looking for cycles, a tenth of a second after an
    # import; freezing them skips that walk. Files are still flushed and closed, atexit handlers run.
    gc.freeze()


if __name__ == "__main__":
    main()
