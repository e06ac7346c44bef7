"""The Sessions API layer: models, client, errors and the text sanitiser. No Textual here."""
