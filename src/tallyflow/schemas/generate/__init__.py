"""Synthetic traffic: events generated from a stream's schema and its `generate:` hints.

Stages: `hints` (the typed `generate:` section of a stream in streams.yaml) -> `values` (a
schema compiled into column generators) -> `traffic` (sessions, users, wikis, user agents and
timestamps, sampled as the clients sample) -> `outputs` (JSON lines, an intake URL, the store).
"""
