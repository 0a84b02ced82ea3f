class DomainError(Exception):
    """A rule of the domain refused an action; the message is for the user (translated)."""
