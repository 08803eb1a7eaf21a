"""``python -m routes``: the command line."""

from routes.cli import main

if __name__ == "__main__":
    main()
