// Which webhook each session the handler creates registers, and with which secrets: the
// policy on its own (webhook-secrets.ts), without a handler or a WAHA.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogInput } from '../src/logger.js';
import { organizationWebhookSecrets, webhookRegistration, whoseWebhookSecrets } from '../src/webhook-secrets.js';

const OWN = { url: 'http://waha.own:3000', own: true };
const THEIRS = { url: 'http://waha.acme:3000', own: false };
const ORG_SECRET = 'org-secret-of-the-server-only-8e21c4f0a9d3';
const URL_2024 = 'https://erp.example/api/whatsapp/session/webhook?token=server-token';

describe('webhookRegistration', () => {
  it("gives the server's own WAHA the server's token and HMAC key", () => {
    const webhooksFor = webhookRegistration({ url: URL_2024, token: 'server-token', hmacKey: 'server-hmac' }, () => {});
    assert.deepEqual(webhooksFor('1', OWN), [
      { url: URL_2024, events: ['session.status'], customHeaders: [{ name: 'X-Webhook-Token', value: 'server-token' }], hmac: { key: 'server-hmac' } },
    ]);
  });

  it("gives a WAHA an organization names that organization's derived secrets, in the header and in place of the URL's ?token=", () => {
    const webhook = { url: URL_2024, token: 'server-token', hmacKey: 'server-hmac', organizationSecret: ORG_SECRET };
    const derived = organizationWebhookSecrets(webhook, '2', THEIRS.url)!;
    const [hook, ...more] = webhookRegistration(webhook, () => {})('2', THEIRS)!;
    assert.deepEqual(more, []);
    assert.equal(hook!.url, `https://erp.example/api/whatsapp/session/webhook?token=${encodeURIComponent(derived.token)}`);
    assert.deepEqual(hook!.customHeaders, [{ name: 'X-Webhook-Token', value: derived.token }]);
    assert.deepEqual(hook!.hmac, { key: derived.hmacKey });
    assert.ok(!JSON.stringify(hook).includes('server-'), "none of the server's own secrets");
  });

  it('registers nothing without webhook.url, nor on a WAHA an organization names without organizationSecret (warned once)', () => {
    const logs: LogInput[] = [];
    assert.equal(webhookRegistration({ token: 'server-token' }, (input) => logs.push(input))('1', OWN), undefined);
    const webhooksFor = webhookRegistration({ url: URL_2024, token: 'server-token' }, (input) => logs.push(input));
    assert.equal(webhooksFor('2', THEIRS), undefined);
    assert.equal(webhooksFor('3', THEIRS), undefined);
    assert.deepEqual(
      logs.map(({ level, event, orgId }) => ({ level, event, orgId })),
      [{ level: 'warn', event: 'webhook.organization_secret_missing', orgId: '2' }],
    );
    assert.equal(webhooksFor('1', OWN)?.length, 1, 'the own WAHA still gets its webhook');
  });

  it('registers exactly what whoseWebhookSecrets says each WAHA is given (the rule the handler asks too)', () => {
    for (const organizationSecret of [undefined, ORG_SECRET]) {
      const webhook = { url: URL_2024, token: 'server-token', hmacKey: 'server-hmac', organizationSecret };
      for (const waha of [OWN, THEIRS]) {
        const whose = whoseWebhookSecrets(webhook, waha);
        const token = webhookRegistration(webhook, () => {})('2', waha)?.[0]?.customHeaders?.[0]?.value;
        const expected = { server: 'server-token', organization: organizationWebhookSecrets(webhook, '2', waha.url)?.token, none: undefined }[whose ?? 'none'];
        assert.equal(token, expected, `${waha.own ? 'own' : 'named'} WAHA, organizationSecret ${organizationSecret ? 'set' : 'unset'}: ${whose}`);
      }
    }
    assert.equal(whoseWebhookSecrets(undefined, OWN), 'server');
    assert.equal(whoseWebhookSecrets(undefined, THEIRS), null);
    assert.equal(whoseWebhookSecrets({ organizationSecret: ORG_SECRET }, OWN), 'server', "the server's own WAHA never gets an organization's");
    assert.equal(whoseWebhookSecrets({ organizationSecret: ORG_SECRET }, THEIRS), 'organization');
  });
});
