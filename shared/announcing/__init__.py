"""Spoken call announcements for the lobby display: words, clips, WAV assembly and the queue.

Plain Python (no Qt): the display app feeds calls into an `AnnouncementQueue` and plays nothing
itself.
"""
