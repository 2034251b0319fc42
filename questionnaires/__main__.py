"""python -m questionnaires FILE...: validate questionnaire files without the app."""
import sys

from .loader import main

sys.exit(main(sys.argv[1:]))
