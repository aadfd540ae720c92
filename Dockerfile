# One image for every role: `api`, `workers`, or `all` (the argument to src/main.ts).
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY migrations ./migrations
COPY models ./models
COPY fixtures/demo ./fixtures/demo
COPY src ./src
COPY workers ./workers
COPY tsconfig.json ./
USER node
ENV HOST=0.0.0.0 PORT=8080 DATA_DIR=/app/data
EXPOSE 8080
ENTRYPOINT ["node", "--import", "tsx", "src/main.ts"]
CMD ["all"]
