"""Views (the JSON contract as dicts) and renderers: table, json, csv."""
