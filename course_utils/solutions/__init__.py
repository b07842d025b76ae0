"""Reference solutions of exercises that no later chapter reuses, a module per chapter.

Solutions that later chapters build on live in the topical modules instead (``text.py``, ``training.py``,
...). The solution notebooks show this code (the notebook build copies it in), and the checks compare
a learner's answer against it.
"""
