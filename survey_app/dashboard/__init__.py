"""Organisation dashboards: live response rates and results against peers."""
