"""akhbar store: everything that persists and reads back."""
