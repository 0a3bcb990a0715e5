"""The command line: parse, call one service, render. Nothing below this package imports
typer, prints or exits."""
