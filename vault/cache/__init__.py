"""A cache that degrades to no cache when Redis does not answer."""
