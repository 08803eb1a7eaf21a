"""The ``routes`` command line (click), one module per command group. Presentation only: every figure
comes from the library; each command builds one `routes.study.Study` from its options.

- `routes.cli.options`: the group, the shared options and their parsing into a `Study`;
- `routes.cli.output`: terminal tables (100 columns; ``--wide``), ``--format json|csv|geojson``;
- `routes.cli.sections`: the tables a command adds when asked (``--ranges``, ``--fleet``);
- `routes.cli.route`, `routes.cli.compare`, `routes.cli.report`, `routes.cli.matrix`,
  `routes.cli.catalog` (``scenarios``, ``airports``): the commands.

Each command imports what it needs when it runs: ``routes route`` loads no report, Dask, folium or
matplotlib. Errors are one line on stderr with exit code 2; no traceback.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import textwrap
import warnings

import click

from routes.cli import catalog, compare, matrix, report, route
from routes.cli.options import Group
from routes.errors import RoutesError


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
def app() -> None:
    """Shortest flight routes that avoid closed airspace: distance, time, fuel, CO2 and feasibility."""


for command in (route.route, compare.compare, report.report, matrix.matrix_command, catalog.list_scenarios,
                catalog.airports):  # fmt: skip
    app.add_command(command)

# command groups kept beside the presentation they print (each module's `register(app)` adds its commands):
# itinerary, payload and stops; assumptions and ranges. A new group is one more name here.
COMMAND_GROUPS = ("routes.presentation.cli_feasibility", "routes.presentation.cli_assumptions")
for _module in COMMAND_GROUPS:
    if importlib.util.find_spec(_module) is not None:
        importlib.import_module(_module).register(app)


_SHOWN: set[str] = set()


def _show_warning(message: Warning | str, category: type[Warning], *_args: object, **_kwargs: object) -> None:
    """A warning on stderr as ``routes: warning: ...``, wrapped at 100 columns (not Python's two lines
    with the source file and line), each text once per command (a stale rate warns once, not per route)."""
    text = " ".join(str(message).split())
    if text in _SHOWN:
        return
    _SHOWN.add(text)
    print(textwrap.fill(f"routes: warning: {text}", width=100, subsequent_indent="  "), file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app, turning every error into one line and exit code 2, and (in a terminal)
    every warning into ``routes: warning: ...`` on stderr."""
    show = warnings.showwarning
    _SHOWN.clear()
    if sys.stderr.isatty():  # a person reading: one short block per warning (tests and pipes keep Python's)
        warnings.showwarning = _show_warning
    try:
        code = app.main(args=argv, prog_name="routes", standalone_mode=False)
    except click.exceptions.Abort:
        print("routes: aborted", file=sys.stderr)
        raise SystemExit(130) from None
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "routes"
        print(f"routes: error: {exc.format_message()} (see '{where} --help')", file=sys.stderr)
        raise SystemExit(2) from None
    except click.ClickException as exc:
        print(f"routes: error: {exc.format_message()}", file=sys.stderr)
        raise SystemExit(2) from None
    except (RoutesError, OSError) as exc:
        print(f"routes: error: {' '.join(str(exc).split())}", file=sys.stderr)  # one line, whatever the message
        raise SystemExit(2) from None
    except Exception as exc:  # the last line of defence: one line, never a traceback
        print(
            f"routes: internal error: {type(exc).__name__}: {exc} (a bug: please report it with the command line)",
            file=sys.stderr,
        )
        raise SystemExit(70) from None  # EX_SOFTWARE
    finally:
        warnings.showwarning = show
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
