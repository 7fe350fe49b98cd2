# Palisade as a container image, for `palisade node --print-job` (and CI): docker build -t IMAGE .
# Node.js 24 runs the TypeScript sources directly (type stripping); only runtime dependencies are installed.
FROM node:24-slim
WORKDIR /opt/palisade
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY src ./src
COPY schema ./schema
RUN printf '#!/bin/sh\nexec node /opt/palisade/src/cli/main.ts "$@"\n' > /usr/local/bin/palisade && chmod 755 /usr/local/bin/palisade
ENTRYPOINT ["palisade"]
