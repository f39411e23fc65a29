"""Personal data at rest: encryption with a rotating key list, and blind indexes for lookups."""
