"""What every screen gets: the open vault, who is at the counter, and how to reach the rest of the app.

Screens (agenda, printing, import, manager, network...) are QWidgets built as `SomeView(context, parent)`.
They never hold personal data beyond their own widgets, and implement `clear_personal_data()` so that
locking can wipe them at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass
class AppContext:
    vault: object                      # core.vault.Vault (open)
    staff_id: int | None = None        # who is at the counter
    staff_name: str = ""
    manager_unlocked: bool = False     # manager credential verified this session (issue #8)
    open_contact: Callable[[int], None] = lambda contact_id: None
    refresh: Callable[[], None] = lambda: None    # ask the main window to reload lists and the card
    extra: dict = field(default_factory=dict)
    jobs: object = None                # ui.job_runner.JobRunner owned by the counter window (None: screens alone)
    demo: bool = False                 # the demo book is open
