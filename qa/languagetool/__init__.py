"""LanguageTool findings for news copy: a server (or a cached local install), filtered, with a clean skip.

``service.connect(settings)`` reaches LanguageTool as the settings say, or stands in with a one-line skip;
a LanguageTool finding that repeats another checker's finding folds into it (``qa.merge``,
``Join.DUPLICATE``).
"""
