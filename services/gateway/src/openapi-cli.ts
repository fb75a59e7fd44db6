// Writes the gateway's OpenAPI document without starting the gateway (the web app generates its API client from
// it): `node --import tsx services/gateway/src/openapi-cli.ts <file>`, or to stdout without a file.
import { writeFileSync } from 'node:fs';
import { openApiDocument } from './transport/http/http-app';
import { apiRoutes, type RouteDeps } from './transport/http/routes';

// The document reads the route specs only; no handler runs, so no dependency is needed.
const document = openApiDocument(apiRoutes({} as RouteDeps));
const text = `${JSON.stringify(document, null, 2)}\n`;
const file = process.argv[2];
if (file) writeFileSync(file, text);
else process.stdout.write(text);
