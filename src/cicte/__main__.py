"""``python -m cicte`` is the ``cicte`` command."""

from cicte.cli import main

if __name__ == "__main__":
    main()
