# One image for both roles; the command chooses the role (see Procfile):
#   docker run IMAGE npm run start:web | npm run start:worker | npm run db:migrate
# The server runs its TypeScript through tsx (a dependency of apps/server): see docs/OPERATIONS.md.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/ebay-sim/package.json packages/ebay-sim/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
RUN npm ci --no-audit --no-fund
COPY packages/contracts/src packages/contracts/src
COPY packages/ebay-sim/src packages/ebay-sim/src
COPY apps/server/src apps/server/src
COPY apps/web apps/web
RUN npm run build:web

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/contracts/package.json packages/contracts/
COPY packages/ebay-sim/package.json packages/ebay-sim/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY packages/contracts/src packages/contracts/src
COPY packages/ebay-sim/src packages/ebay-sim/src
COPY apps/server/src apps/server/src
COPY --from=build /app/apps/web/dist apps/web/dist
USER node
EXPOSE 3000
ENV HOST=0.0.0.0 PORT=3000
CMD ["npm", "run", "start:web"]
