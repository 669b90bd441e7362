"""A toy checker family, installed through the ``qa.checkers`` entry-point group in the registry tests."""
