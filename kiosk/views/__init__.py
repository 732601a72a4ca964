"""The kiosk's screens; each only renders what the window hands it."""
