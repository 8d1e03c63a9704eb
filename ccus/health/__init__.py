"""The health report: what a firm's records need, counted, each figure a link to its list."""
