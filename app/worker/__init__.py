"""The worker process and its jobs: deadlines, the outbox's messages, import jobs."""
