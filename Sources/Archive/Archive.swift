// Archive module.
