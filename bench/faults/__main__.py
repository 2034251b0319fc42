"""python -m bench.faults: see bench/faults/run.py."""
import sys

from .run import main

sys.exit(main())
