#!/bin/sh
# The container's start: config.json and the CSP rendered from the environment (or from a
# mounted config.json), then nginx in the foreground.
set -eu
# The official dashboard's image reads its ConfigMap (flui-web-config) from here: a
# deployment that mounts it there keeps working.
official=/usr/share/nginx/html/assets/config.json
if [ -z "${FLUI_API_BASE_URL:-}" ] && [ -f "$official" ]; then
    cp "$official" /srv/flui/html/assets/config.json
fi
/srv/flui/render.sh /srv/flui
exec nginx -p /srv/flui/ -c /srv/flui/nginx.conf -g 'daemon off;'
