// Transfer module.
