"""Supervision writes, one function per state change."""
