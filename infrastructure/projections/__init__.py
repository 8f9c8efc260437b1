"""Read models fed only by the story events: the live page and the revision history.

Each is a set of SQLAlchemy tables in the same database as the event store, kept up to date by a
projection whose view is a tracking recorder (`tracking.py`), run by `runner.py`, read by `queries.py`.
"""
