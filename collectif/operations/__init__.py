"""What the operators run and read: the health checks (`health`), the logs and their request ids
(`logs`, `gunicorn_logging`), the French 503 when the database is gone (`outage`), the task
worker's helpers (`worker`) and the log lines of security and task events (`signals`)."""
