"""The a-kassa officer's pages: certificates members approved to the officer's own fund."""
