"""The pages of cycles: the cycle and its calendar, and the year's documents."""
