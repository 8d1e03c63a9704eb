"""Worker rosters (作業員名簿) in and out: read CSV and Excel files, check rows, import at once."""
