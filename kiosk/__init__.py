"""The touch ticket kiosk: a thin Qt front over the queue engine that prints ESC/POS tickets."""
