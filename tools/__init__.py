"""Repository tooling: the lesson builder and the generators of shipped reference files."""
