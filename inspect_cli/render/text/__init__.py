"""Terminal output (rich): the text every command prints."""
