"""``python -m routes``: the command line."""

from routes.presentation.cli import main

if __name__ == "__main__":
    main()
