"""The team's admin: its groups and their permissions (`groups`), French date widgets
(`widgets`), the review workflow's emails (`moderation`) and the admin's French translations
(`translations`)."""
