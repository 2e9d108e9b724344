"""patient-handouts: print-ready, multilingual patient handouts from reviewed YAML content."""

import os

__version__ = "0.1.0"


def _babel_reads_no_time_zone_file() -> None:
    """Import Babel's local-zone module with TZ set to UTC when TZ names a file, then put TZ back."""
    # babel.localtime reads the file TZ names when it is first imported, relative to the working folder: with
    # TZ=Europe/Berlin, a project holding a pipe at Europe/Berlin hung every command run in it, and any other file
    # there (or TZ=:/etc/passwd) ended in a traceback. Babel's local zone is never used here (dates print without
    # times); the C library, which reads TZ from its own zone folder, still gives today's date in the user's zone.
    zone = os.environ.get("TZ", "")
    if not zone or not os.path.lexists(zone.removeprefix(":")):
        return
    os.environ["TZ"] = "UTC"
    try:
        import babel.localtime  # noqa: F401 - imported once, here, so no later import reads the file
    except ImportError:  # not installed yet (pip's metadata step): nothing reads TZ then
        pass
    finally:
        os.environ["TZ"] = zone


_babel_reads_no_time_zone_file()
