"""Document extraction core: suggested return fields from Form 16, Form 16A and interest
certificates. Pure Python, no web framework or database; entry point `app.documents.extract`."""
