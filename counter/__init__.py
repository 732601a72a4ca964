"""The counter officer's console: sign in, call and serve tickets from the keyboard, today's figures."""
