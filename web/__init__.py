"""Antre's web side: the ticket on the citizen's phone, the public status page and the JSON API.

A Starlette app on uvicorn over the same database and event log as the Qt apps; imports no Qt
and no app (`import-linter` contracts in pyproject.toml).
"""
