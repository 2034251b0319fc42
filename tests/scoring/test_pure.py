"""scoring/ knows nothing of Flask or the database."""
from __future__ import annotations

import subprocess
import sys


def test_scoring_imports_without_flask_or_sqlalchemy(repo_root):
    code = ("import sys, scoring; bad = [m for m in ('flask', 'sqlalchemy', 'survey_app') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
