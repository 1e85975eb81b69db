#!/usr/bin/env python
"""Django's manage.py; the same as the `jiceng` console script."""

from jiceng.__main__ import main

if __name__ == "__main__":
    main()
