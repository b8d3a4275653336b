#!/bin/sh
# Starts dbus-daemon with its standard output on standard error. Services
# that the bus starts on demand (the AT-SPI registry that WebKit's web
# process asks for, say) inherit it, and their messages would otherwise
# land among the test's TAP lines.
exec dbus-daemon "$@" 1>&2
