"""Pure parsers for delivery data (no Django imports)."""
