"""The pages of events: the organiser's side, target groups, the public registration pages and
viewing sites."""
