"""The project's own exception types.

Every failure a user can cause is one of these; the Discord error handler and the
command line turn them into one short message. Anything else is a bug and is logged
with its traceback.
"""


class ClaimbotError(Exception):
    """A failure with a message that is safe and useful to show to the user as is."""


class InvalidInput(ClaimbotError):
    """The input was refused (empty, too large, binary, malformed); nothing was changed."""


class NotFound(ClaimbotError):
    """The thing asked for does not exist in this guild (or at all)."""


class PermissionDenied(ClaimbotError):
    """The user may not do this."""


class ConfigurationError(ClaimbotError):
    """The bot is missing a setting it needs to start."""
