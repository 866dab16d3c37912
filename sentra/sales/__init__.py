"""Sales across channels, read in one shape: see `sentra.sales.channels`."""
