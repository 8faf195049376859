"""Socket.IO: connection auth and rooms (server.py), emit helpers usable from any process (emit.py)."""
