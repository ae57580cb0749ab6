"""``python -m kgtool.cli``: the same command line as ``kgtool``."""

from kgtool.cli.main import main

main()
