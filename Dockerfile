# syntax=docker/dockerfile:1
# Node 24 is an LTS line (supported until April 2028); package.json's engines (>=20.19) is the oldest Node
# the code runs on, tested in CI. Charts bring their own fonts (charts/fonts), so no font packages are needed.
# Build stage: production dependencies only, from the lock file.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# The postinstall step saves an initialised embedded-database template; it needs these two files.
COPY scripts/prepare-pglite-template.ts ./scripts/
COPY src/db/pglite-template.ts ./src/db/
RUN npm ci --omit=dev --no-audit --no-fund

# Runtime: non-root user, data in a volume.
FROM node:24-bookworm-slim
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
# PORT may be changed at `docker run -e PORT=...`; the check asks whichever port the service listens on
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "src/main.ts"]
