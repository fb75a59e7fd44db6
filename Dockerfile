# Every service's image, built from the repository root (skaffold.yaml passes SERVICE):
#   docker build --build-arg SERVICE=ticket -t helpdesk-ticket .
# All images share the `manifests` and `build` stages, so building every service builds the workspace once
# (ADR 0025). No `# syntax=` line: BuildKit uses its built-in frontend and needs no registry.
ARG NODE_IMAGE=node:20-bookworm-slim

# Only the package manifests, with their paths, so that `npm ci` below is re-run only when one of them changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . -name package.json -not -path '*/node_modules/*' -print0 | tar --null -cf - -T - | tar -xf - -C /manifests \
 && cp package-lock.json .npmrc /manifests/

FROM ${NODE_IMAGE} AS build
WORKDIR /app
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    SCARF_ANALYTICS=false \
    npm_config_update_notifier=false
# argon2's prebuilt binary does not load with every Node build (it crashes on the development machines' Node 20),
# and node-gyp then compiles it from source, which needs Python, make and a C++ compiler (build stage only).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
# buf generate (libs/contracts), prisma generate (each service's client) and the web app's API client, as locally;
# then the web bundle (services/web/dist), which the gateway serves (ADR 36).
RUN npm run generate \
 && npm run build
# The services run their TypeScript through tsx, a root dependency; every devDependency goes.
RUN npm prune --omit=dev \
 && node -e "require.resolve('tsx')"

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
RUN test -n "${SERVICE}" || { echo 'build with --build-arg SERVICE=<a folder of services/>' >&2; exit 1; }
ENV NODE_ENV=production \
    HOME=/tmp \
    npm_config_cache=/tmp/.npm \
    npm_config_update_notifier=false \
    HELPDESK_SERVICE=${SERVICE}
WORKDIR /app
RUN groupadd --system --gid 10001 helpdesk \
 && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin helpdesk
# Root-owned and read-only to the service user; the pod also mounts the root filesystem read-only
# (tsx's compile cache and npm's logs go to the /tmp emptyDir).
COPY --from=build /app/package.json /app/package-lock.json /app/.npmrc /app/tsconfig.json /app/tsconfig.base.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/libs ./libs
COPY --from=build /app/services/${SERVICE} ./services/${SERVICE}
# The console and portal bundle (a few hundred KB of static files), served by the gateway from WEB_DIR.
COPY --from=build /app/services/web/dist ./services/web/dist
USER 10001:10001
# The ports are the chart's (values.yaml `ports`); migrations run as `npm run migrate -- deploy --service services/<svc>`.
# exec: node is PID 1 and gets SIGTERM for its graceful shutdown.
CMD ["sh", "-c", "exec node --import tsx \"services/${HELPDESK_SERVICE}/src/main.ts\""]
