"""RQ job functions (thin: load by id, call the core in app/, save, emit), the worker launcher and the relay."""
