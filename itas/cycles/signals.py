"""Signals other apps listen to without cycles importing them (arrows point downstream).

`cycle_closed(sender=Cycle, cycle=...)`: sent inside the closing transaction. A receiver erases
what must not outlive the cycle and returns {what: how many} for the audit note.
"""

from django.dispatch import Signal

cycle_closed = Signal()
