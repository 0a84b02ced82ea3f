"""The pages of the OIT: the agency's board, submitting, the assessor's review and oversight."""
