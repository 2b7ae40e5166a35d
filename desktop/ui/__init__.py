"""The window (PySide6 widgets); the only part of Relief Desk that knows widgets."""
