// Layout module.
