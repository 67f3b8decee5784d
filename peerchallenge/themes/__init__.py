"""Plenary themes, the regional work programme and the follow-up of each challenged council."""
