// AWS module.
