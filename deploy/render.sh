#!/bin/sh
# Renders, from the environment, what the dashboard's nginx serves and sends, into PREFIX:
#
#   html/assets/config.json  the dashboard's runtime settings (the flui-web-config file)
#   conf.d/headers.conf      the Content-Security-Policy built from the same values, and
#                            the other security headers
#   conf.d/listen.conf       listen FLUI_PORT
#   conf.d/modules.conf, conf.d/compression.conf   brotli, when the module is installed
#
# Environment (the keys of config.json):
#   FLUI_API_BASE_URL     required unless config.json is mounted: the Flui API's origin
#   FLUI_AUTH_MODE        local (default) or oidc
#   FLUI_OIDC_ISSUER      the OpenID Provider's issuer URL (oidc)
#   FLUI_OIDC_CLIENT_ID   the dashboard's client id there (oidc; empty: asked of the API)
#   FLUI_GITHUB_URL       GitHub's web origin (default https://github.com; Enterprise)
#   FLUI_WS_URL, FLUI_CERTIFICATE_MODE   passed through for the official dashboard's keys
#   FLUI_PORT             default 8080
#
# When FLUI_API_BASE_URL is empty and html/assets/config.json already exists (a mounted
# ConfigMap, as Flui's Kubernetes deployment mounts flui-web-config), that file is kept
# and the CSP is built from its values.
#
# Used by the container at start-up (entrypoint.sh) and by the end-to-end tests.
set -eu

prefix=${1:?usage: render.sh PREFIX}
html="$prefix/html"
conf="$prefix/conf.d"
config="$html/assets/config.json"

fail() {
    echo "render.sh: $*" >&2
    exit 1
}

# A value of config.json as mounted: "key":"value" (the file is one JSON object).
from_config() {
    sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$config" | head -n 1
}

api=${FLUI_API_BASE_URL:-}
if [ -z "$api" ] && [ -f "$config" ]; then
    mounted=yes
    api=$(from_config apiBaseUrl)
    mode=$(from_config authMode)
    issuer=$(from_config oidcIssuer)
    github=$(from_config githubUrl)
else
    mounted=no
    mode=${FLUI_AUTH_MODE:-local}
    issuer=${FLUI_OIDC_ISSUER:-}
    github=${FLUI_GITHUB_URL:-}
fi
mode=${mode:-local}
github=${github:-https://github.com}
client_id=${FLUI_OIDC_CLIENT_ID:-}
ws=${FLUI_WS_URL:-}
certificate=${FLUI_CERTIFICATE_MODE:-}
port=${FLUI_PORT:-8080}

[ -n "$api" ] || fail "set FLUI_API_BASE_URL to the Flui API's origin (e.g. https://api.example.com), or mount $config"

# Values go into JSON and into a header: only plain URLs, no quotes, spaces or semicolons.
origin_of() { # NAME VALUE: checks an http(s) origin (a trailing slash is dropped)
    printf '%s' "$2" | grep -Eq '^https?://[A-Za-z0-9.-]+(:[0-9]+)?/?$' ||
        fail "$1 must be an origin such as https://api.example.com (no path), got \"$2\""
    printf '%s' "${2%/}"
}
api=$(origin_of FLUI_API_BASE_URL "$api")
github=$(origin_of FLUI_GITHUB_URL "$github")
case "$mode" in
    local | oidc) ;;
    *) fail "FLUI_AUTH_MODE must be local or oidc, got \"$mode\"" ;;
esac
issuer_origin=
if [ -n "$issuer" ]; then
    printf '%s' "$issuer" | grep -Eq '^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?$' ||
        fail "FLUI_OIDC_ISSUER must be an http(s) URL, got \"$issuer\""
    issuer_origin=$(printf '%s' "$issuer" | sed -E 's#^(https?://[^/]+).*#\1#')
fi
if [ "$mode" = oidc ] && [ -z "$issuer" ]; then
    echo "render.sh: warning: FLUI_OIDC_ISSUER is empty: the dashboard will ask the API for the issuer, but the CSP cannot allow a provider it does not know, so sign-in will be blocked; set FLUI_OIDC_ISSUER" >&2
fi
case "$client_id" in
    *[!A-Za-z0-9._@:-]*) fail "FLUI_OIDC_CLIENT_ID has characters a client id does not, got \"$client_id\"" ;;
esac
[ -z "$ws" ] || ws=$(origin_of FLUI_WS_URL "$(printf '%s' "$ws" | sed -E 's#^ws(s?)://#http\1://#')" | sed -E 's#^http(s?)://#ws\1://#')
case "$certificate" in
    *[!a-z]*) fail "FLUI_CERTIFICATE_MODE must be a word, got \"$certificate\"" ;;
esac
case "$port" in
    "" | *[!0-9]*) fail "FLUI_PORT must be a number, got \"$port\"" ;;
esac

hashes_file="$html/csp-script-hashes"
[ -f "$hashes_file" ] || fail "$hashes_file is missing: build with 'cargo xtask dist' (it writes the inline scripts' hashes)"
hashes=$(cat "$hashes_file")

mkdir -p "$conf" "$prefix/tmp" "$html/assets"

if [ "$mounted" = no ]; then
    cat >"$config" <<JSON
{"apiBaseUrl":"$api","wsUrl":"${ws:-$api}","authMode":"$mode","oidcIssuer":"$issuer","oidcClientId":"$client_id","githubUrl":"$github","certificateMode":"$certificate"}
JSON
fi

# The page fetches only from itself, the API and (OIDC) the provider; forms go only to
# itself and GitHub (the App manifest is posted there); scripts are this origin's files,
# WebAssembly, and the two inline scripts of index.html by hash.
csp="default-src 'self'; script-src 'self' 'wasm-unsafe-eval' $hashes; connect-src 'self' $api $issuer_origin; img-src 'self' data:; style-src 'self'; form-action 'self' $github; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
csp=$(printf '%s' "$csp" | tr -s ' ' | sed 's/ ;/;/g')

cat >"$conf/headers.conf" <<CONF
add_header Content-Security-Policy "$csp" always;
add_header X-Content-Type-Options "nosniff" always;
add_header Referrer-Policy "no-referrer" always;
add_header Permissions-Policy "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()" always;
add_header Cross-Origin-Opener-Policy "same-origin" always;
add_header X-Frame-Options "DENY" always;
CONF

echo "listen $port;" >"$conf/listen.conf"

modules=${FLUI_NGINX_MODULES:-/usr/lib/nginx/modules}
if [ -f "$modules/ngx_http_brotli_filter_module.so" ]; then
    echo "load_module $modules/ngx_http_brotli_filter_module.so;" >"$conf/modules.conf"
    echo "brotli on; brotli_comp_level 6; brotli_types text/css application/javascript application/json application/wasm image/svg+xml;" >"$conf/compression.conf"
else
    echo "# no brotli module: gzip only" >"$conf/modules.conf"
    echo "# no brotli module: gzip only" >"$conf/compression.conf"
fi
