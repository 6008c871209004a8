"""Domain rules: states, transitions, errors and labels, free of any storage."""
