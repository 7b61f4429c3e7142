"""Printing (issue 6): address label sheets, envelopes, card inserts and letters as PDFs (reportlab).

No Qt here. Every public job is a plain function taking `progress(done, total)` and `cancelled()`
(core.jobs) and returning the PDF as bytes plus a report of who was left out and why.
"""
