#!/bin/sh
# Makes sure a Chromium that Playwright can drive is present (Debian's package).
# Browser tests are reported as skipped, not passed, when none can be installed.
if [ -x /usr/bin/chromium ] || [ -n "${CICTE_CHROMIUM:-}" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "WARNING: could not install chromium; browser tests will be SKIPPED."
else
  echo "WARNING: /usr/bin/chromium not found and cannot install it (need root + apt-get);"
  echo "         browser tests will be SKIPPED. Set CICTE_CHROMIUM=/path/to/chromium to run them."
fi
