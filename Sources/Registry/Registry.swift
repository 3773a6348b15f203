// Registry module.
