"""Everything that knows what a CCUS 事業者ID or 技能者ID is."""
