"""The pages of accounts: people and roles, and appointments with a deadline."""
