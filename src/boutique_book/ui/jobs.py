"""Run slow work off the UI thread with a progress bar and a Cancel button.

A job is a plain function from a core-level module. Every job runs through a JobRunner (ui.job_runner): the
counter window's own runner when the screen belongs to it (`context.jobs`), else the application's. The runner
owns the thread (a screen never does: closing a screen cannot destroy a running QThread), and a job that needs
the book gets a connection of its own.

- run_vault_job(context, parent, title, fn(vault, progress, cancelled), ...): on its own connection;
- run_job(parent, title, fn(progress, cancelled), ...): work that does not read the open book.
"""

from __future__ import annotations

from .job_runner import Job, default_runner, runner_for  # noqa: F401


def run_vault_job(context, parent, title: str, fn, on_done=None, on_error=None, on_cancel=None,
                  show_dialog=True) -> Job:
    return runner_for(context).run(title, fn, vault=context.vault, on_done=on_done, on_error=on_error,
                                   on_cancel=on_cancel, dialog_parent=parent, show_dialog=show_dialog)


def run_job(parent, title: str, fn, on_done=None, on_error=None, on_cancel=None, show_dialog=True,
            context=None) -> Job:
    return runner_for(context).run(title, fn, on_done=on_done, on_error=on_error, on_cancel=on_cancel,
                                   dialog_parent=parent, show_dialog=show_dialog)
