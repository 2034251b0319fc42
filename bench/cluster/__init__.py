"""Several hosts on one machine (issue 18): Linux network namespaces joined by a bridge,
each a "host" with an address of its own, running the product as the README deploys it."""
