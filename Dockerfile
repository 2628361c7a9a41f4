# The Flui dashboard as a container image: the release build, served by Debian's nginx
# (the nginx the end-to-end tests run, with deploy/nginx.conf) as a non-root user, with
# config.json and the CSP rendered from the environment at start-up (deploy/render.sh).
#
#   docker build -t flui-dashboard .
#   docker run -p 8080:8080 -e FLUI_API_BASE_URL=https://api.example.com flui-dashboard
#
# See the README's "Production" section for every variable and the Kubernetes drop-in.

# Build: the toolchain `cargo xtask` pins (rustc 1.95; trunk 0.21.14, wasm-bindgen-cli at
# the version in Cargo.lock and binaryen's wasm-opt from tools/package-lock.json, which
# `cargo xtask dist` installs), then the release build with its inline-script hashes.
FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo xtask dist

# Serve: nginx with brotli, as user `flui`, on port 8080.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx libnginx-mod-http-brotli-filter \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /srv/flui --shell /usr/sbin/nologin flui
COPY --from=build /src/dist /srv/flui/html
COPY deploy/nginx.conf deploy/render.sh deploy/entrypoint.sh /srv/flui/
RUN mkdir -p /srv/flui/conf.d /srv/flui/tmp \
 && rm -f /srv/flui/html/assets/config.json \
 && chown -R flui:flui /srv/flui
USER flui
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${FLUI_PORT:-8080} && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["/srv/flui/entrypoint.sh"]
