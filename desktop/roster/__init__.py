"""Roster work the window needs, without Qt: queries, search, records, reference lists, history.

Every write goes through ``Database.session(source="window")`` so the change log records it.
"""
