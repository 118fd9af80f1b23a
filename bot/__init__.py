"""claimbot: extract the checkable claims of articles and review them, in Discord."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("claimbot")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

SOURCE_URL = "https://github.com/claimbot/claimbot"
