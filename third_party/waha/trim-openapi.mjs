#!/usr/bin/env node
// Keeps, from WAHA's full OpenAPI document, what our tests check against: the session
// and pairing paths, `/ping` and `/api/server/version`, the `session.status` webhook, and
// every schema those reach through `$ref` (transitively). Everything else (chatting,
// groups, channels… 120-odd paths and 150-odd schemas) is dropped, so the copy stays a
// few dozen KB instead of ~500 KB. The kept parts are copied byte-for-byte in meaning:
// no schema is edited here (the tests correct WAHA's known defects themselves).
//
// Regenerate after a WAHA upgrade (WAHA serves its document at `/-json`):
//   curl -s http://localhost:3000/-json > /tmp/waha-openapi.json
//   node third_party/waha/trim-openapi.mjs /tmp/waha-openapi.json > third_party/waha/openapi.sessions.json
// then update the version in third_party/waha/README.md and run the tests that read it.
import { readFileSync } from 'node:fs';

/** Tags whose paths are kept whole. */
const KEPT_TAGS = ['🖥️ Sessions', '📱 Pairing'];
/** Single paths kept besides those tags (the simulator answers them too). */
const KEPT_PATHS = ['/ping', '/api/server/version'];
/** Webhook events kept (`webhooks.<name>` in the document). */
const KEPT_WEBHOOKS = ['session.status'];
/** Components kept even when no kept path refers to them (tests validate webhook bodies by name). */
const KEPT_SCHEMAS = ['WAHAWebhookSessionStatus'];

const source = process.argv[2];
if (!source) {
  process.stderr.write('usage: node third_party/waha/trim-openapi.mjs <full-openapi.json>\n');
  process.exit(2);
}
const full = JSON.parse(readFileSync(source, 'utf8'));

const paths = {};
for (const [template, item] of Object.entries(full.paths ?? {})) {
  const tagged = Object.values(item).some((operation) => operation?.tags?.some((tag) => KEPT_TAGS.includes(tag)));
  if (tagged || KEPT_PATHS.includes(template)) paths[template] = item;
}
const missing = KEPT_PATHS.filter((template) => !paths[template]);
if (missing.length > 0) throw new Error(`the document lacks ${missing.join(', ')}`);

const webhooks = {};
for (const name of KEPT_WEBHOOKS) {
  if (!full.webhooks?.[name]) throw new Error(`the document lacks the webhook ${name}`);
  webhooks[name] = full.webhooks[name];
}

const allSchemas = full.components?.schemas ?? {};
const kept = new Set();
const visit = (node) => {
  if (Array.isArray(node)) return node.forEach(visit);
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
      const name = value.slice('#/components/schemas/'.length);
      if (kept.has(name)) continue;
      if (!allSchemas[name]) throw new Error(`dangling $ref ${value}`);
      kept.add(name);
      visit(allSchemas[name]);
    } else visit(value);
  }
};
for (const name of KEPT_SCHEMAS) {
  if (!allSchemas[name]) throw new Error(`the document lacks the schema ${name}`);
  kept.add(name);
  visit(allSchemas[name]);
}
visit(paths);
visit(webhooks);

const usedTags = new Set(Object.values(paths).flatMap((item) => Object.values(item).flatMap((operation) => operation?.tags ?? [])));
const schemas = Object.fromEntries(Object.keys(allSchemas).filter((name) => kept.has(name)).map((name) => [name, allSchemas[name]]));
const trimmed = {
  openapi: full.openapi,
  info: full.info,
  servers: full.servers,
  externalDocs: full.externalDocs,
  tags: (full.tags ?? []).filter((tag) => usedTags.has(tag.name)),
  paths,
  webhooks,
  components: { securitySchemes: full.components?.securitySchemes, schemas },
};
process.stdout.write(`${JSON.stringify(trimmed, null, 1)}\n`);
