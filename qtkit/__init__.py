"""Qt pieces the three apps share: the database worker, the change watcher and the theme.

The core (db/) never imports this package; the apps may.
"""
