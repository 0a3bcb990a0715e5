"""The commands, grouped by what they do. Each one parses, calls one service, renders."""
