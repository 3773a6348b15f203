#!/bin/sh
# Prints the greeting shipped next to this script.
cat "$(dirname "$0")/hello.txt"
