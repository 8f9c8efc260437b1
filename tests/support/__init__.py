"""What tests share beyond pytest fixtures: PostgreSQL schemas, pages folded from given events."""
