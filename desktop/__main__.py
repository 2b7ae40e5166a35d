"""The ``relief-desk`` command and ``python -m desktop``.

This module is the console script's target and so is imported again, as the script's
``__mp_main__``, by every spawned child that reads a spreadsheet: it must stay light and
import the command line only when run.
"""


def main() -> int:
    """Run the command line (desktop.cli, imported only now); returns its exit code."""
    from desktop.cli import main as run

    return run()


if __name__ == "__main__":
    raise SystemExit(main())
