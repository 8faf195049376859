"""Invoices for assisted filing. The blueprint lives in views.py; this package imports nothing, so the
pure parts (amounts.py, pdf.py) load without Flask."""
