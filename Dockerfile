# syntax=docker/dockerfile:1
#
# The diagnosis agent's image: the `aiml-observability` bin of this package, run as `agent serve` by the
# ObservabilityAgent construct (its required `image`; docs/agent.md, "In the cluster"). No image of this project is
# published: build it, push it to your registry, and give its reference (pinned by tag or digest) as agent.image.
#
#   docker build -t registry.example.com/aiml-observability-agent:0.1.0 .
#
# Two stages: `build` compiles the package and packs it with npm (the same tarball `npm publish` would upload);
# `runtime` installs only the package's runtime dependencies, at the versions of package-lock.json, unpacks the
# package over them, and runs as the node image's unprivileged `node` user (uid 1000). Nothing runs as root at run
# time and the container writes nothing (the construct mounts the root filesystem read-only).
#
# The base is pinned by version: the Node.js release CI tests the package on (.ci/run). Pin it by digest as well
# where you build (`docker buildx imagetools inspect node:24.22.3-bookworm-slim`, then NODE_IMAGE=node@sha256:...):
# this repository was written without access to a registry, so no digest could be looked up and none is guessed.
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` script builds, which needs the sources copied below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json api-extractor.json tsdoc.json API.md observability.schema.json README.md LICENSE ./
COPY scripts/build.ts ./scripts/build.ts
COPY src ./src
COPY app ./app
COPY imports ./imports
COPY dashboards ./dashboards
RUN npm run build \
 && mkdir /pkg && npm pack --ignore-scripts --pack-destination /pkg \
 && test -x lib/app/aiml-observability.js

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json /src/package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /pkg/ /tmp/pkg/
RUN tar -xzf /tmp/pkg/aiml-observability-*.tgz --strip-components=1 -C /app && rm -rf /tmp/pkg \
 && node /app/lib/app/aiml-observability.js agent serve --help >/dev/null
USER 1000
EXPOSE 8080
ENTRYPOINT ["node", "/app/lib/app/aiml-observability.js"]
CMD ["agent", "serve", "--help"]
