"""The bundle's entry point: the command line, and the window when given no subcommand."""

import multiprocessing

from desktop.__main__ import main

if __name__ == "__main__":
    # A spreadsheet is read in a spawned child (desktop/sheets/sandbox.py): in a frozen build
    # that child is this executable again, and this call makes it run the child's work.
    multiprocessing.freeze_support()
    raise SystemExit(main())
