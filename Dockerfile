FROM node:20-bookworm-slim
WORKDIR /app
# Processing tools (docs/decisions/0007-media-tools.md) and Chinese fonts for document previews.
RUN apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg libreoffice-writer libreoffice-impress libreoffice-calc poppler-utils fonts-noto-cjk \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
EXPOSE 3000
CMD ["npm", "start"]
