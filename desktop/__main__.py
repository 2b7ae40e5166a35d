"""`python -m desktop`: the same as the `relief-desk` command."""

from desktop.cli import main

raise SystemExit(main())
