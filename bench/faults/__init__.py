"""The fault suite: the deployment tried as an attacker and an unlucky operator would
(issue 14). See bench/faults/README.md."""
