"""The interactive teaching app (Solara): ``mutualdep serve``. See ``app.py``."""
