"""``qa watch``: poll feeds, check only what is new or changed, and hand the results on exactly once."""
