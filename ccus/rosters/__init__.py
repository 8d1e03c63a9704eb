"""Rosters (作業員名簿) in and out: read CSV and Excel, check rows, import all or nothing."""
