#!/usr/bin/env bash
# Fails on high or critical advisories in production dependencies. The advisory service is part
# of the npm registry; where the network reaches only a mirror without it (these machines), say so
# plainly instead of passing silently as if checked, and do not fail the build over it.
set -uo pipefail
out=$(npm audit --omit=dev --audit-level=high 2>&1)
code=$?
if [ $code -ne 0 ] && grep -qiE "audit endpoint returned an error|ENOAUDIT|405 Method Not Allowed" <<<"$out"; then
  echo "npm audit: NOT CHECKED — the advisory service cannot be reached from this network."
  exit 0
fi
echo "$out" | grep -v 'Unknown user config'
exit $code
