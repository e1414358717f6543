"""``advisor verify``: the recommended indexes checked against a real engine's planner."""
