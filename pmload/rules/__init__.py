"""The rules and the audit: sides of people, keyword rules, what counts as a meeting, classification, manual tags, the weekly audit and the analysis that holds them together."""
