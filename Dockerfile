# syntax=docker/dockerfile:1
# Build stage: production dependencies only, from the lock file.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# The postinstall step saves an initialised embedded-database template; it needs these two files.
COPY scripts/prepare-pglite-template.ts ./scripts/
COPY src/db/pglite-template.ts ./src/db/
RUN npm ci --omit=dev --no-audit --no-fund

# Runtime: fonts for every script the charts draw (Latin, Vietnamese, Thai, Persian), non-root user.
FROM node:20-bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends fonts-noto-core fonts-dejavu-core fontconfig \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json manifest.json ./
COPY bin ./bin
COPY src ./src
COPY migrations ./migrations
COPY charts ./charts
COPY catalog ./catalog
ENV NODE_ENV=production CLG_DATA_DIR=/data PORT=3000
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "src/main.ts"]
