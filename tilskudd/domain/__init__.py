"""The domain core: plain Python, no Django.

Money, identifiers, deadlines and (later) eligibility, priorities and the allocation
engine live here as functions on ints, dates and dataclasses, so that they can be
tested fast and exhaustively. A test asserts that nothing in this package imports
Django.
"""
