#!/usr/bin/env python3
from sentra.cli import main

if __name__ == "__main__":
    main()
