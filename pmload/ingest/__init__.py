"""Reading calendars: split .ics text into event groups, parse and expand them, store them (one transaction per file), and the bundled sample."""
