"""The lobby display: calls on a TV, announced aloud in Bahasa Indonesia.

Imports nothing heavy here: the speech worker process imports display.tts_worker alone.
"""
