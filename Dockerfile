# The inbox as one image; which part a container runs is chosen by ROLES (api, workers, connectors).
# See compose.yaml for a production layout and README "Running many processes".
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Generates the Prisma client, builds the web app (dist/web) and the scan command (dist/scan); its own
# `npm install` finds nothing to do.
RUN node scripts/setup.mjs && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
# src/main.ts runs TypeScript through tsx (a runtime dependency); it migrates the database before serving.
CMD ["node", "--import", "tsx", "src/main.ts"]
