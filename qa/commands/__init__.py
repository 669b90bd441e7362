"""One module per ``qa`` subcommand."""
