#!/usr/bin/env bash
# Create a client key for the router and print the settings that register it.
#
#   scripts/new-client-key.sh <client-name> [caller|admin] [index]
#
# The key is printed ONCE: hand it to the client and keep no copy. The router's settings
# hold only the lowercase hex SHA-256 of the whole key string (prefix included, UTF-8),
# never the key. <index> is the position n in Router__Auth__Clients__<n>__…: use the next
# free one (default 0). See docs/deploy.md for adding, rotating and removing keys.
set -euo pipefail

usage() {
  echo "usage: $0 <client-name> [caller|admin] [index]" >&2
  exit 2
}

[[ $# -ge 1 && $# -le 3 ]] || usage
name="$1"
role="${2:-caller}"
index="${3:-0}"

[[ "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]] || { echo "client name must be 1-64 of [A-Za-z0-9._-], starting with a letter or digit" >&2; exit 2; }
[[ "$role" == caller || "$role" == admin ]] || { echo "role must be caller or admin" >&2; exit 2; }
[[ "$index" =~ ^[0-9]+$ ]] || { echo "index must be a non-negative integer" >&2; exit 2; }

# 32 random bytes, base64url without padding (43 characters).
secret="$(head -c 32 /dev/urandom | base64 | tr -d '\n=' | tr '+/' '-_')"
key="rk_${secret}"
hash="$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)"

prefix="Router__Auth__Clients__${index}__"

cat <<OUT
Client key for '${name}' (role: ${role}). Shown once; give it to the client, store no copy:

  ${key}

The client sends it as 'Authorization: Bearer <key>', 'api-key: <key>' or 'x-functions-key: <key>'.

App settings (hash only; index ${index} must not be in use, else pass the next free index):

  ${prefix}Name=${name}
  ${prefix}KeySha256=${hash}
  ${prefix}Roles__0=${role}

Azure (after 'azd up'; app name from 'azd env get-value AZURE_FUNCTION_APP_NAME'):

  az functionapp config appsettings set -g <resource-group> -n <function-app> --settings \\
    ${prefix}Name=${name} \\
    ${prefix}KeySha256=${hash} \\
    ${prefix}Roles__0=${role}

local.settings.json ("Values"):

  "${prefix}Name": "${name}",
  "${prefix}KeySha256": "${hash}",
  "${prefix}Roles__0": "${role}"
OUT
