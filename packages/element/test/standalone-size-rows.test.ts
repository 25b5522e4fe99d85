import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUDGETS, TARGETS, standaloneRows } from '../../../scripts/sizes.mjs';

// What `npm run size` and `npm run bench:check` count as "what a connected widget
// loads" decides whether issue 14's target is met: the lazy chunks must stay out of it.
describe('the standalone build\'s size rows', () => {
  const file = (name: string, gzip: number) => ({ name, min: gzip * 3, gzip });
  const files = [
    file('whatsapp-connector.js', 10_000),
    file('lang-en-a.js', 700),
    file('lang-es-b.js', 900),
    file('lang-pt-BR-c.js', 800),
    file('linking-d.js', 2_000),
    file('qr-encoder-e.js', 3_000),
    file('stream-f.js', 500),
    file('action-runner-g.js', 850),
  ];
  const row = (id: string) => standaloneRows(files).find((r) => r.id === id)!;

  it('a connected widget: the entry file and the biggest language, none of the chunks loaded later', () => {
    assert.equal(row('connectedWidget').gzip, 10_900);
  });

  it('each lazy chunk has its row, and everything counts every file', () => {
    assert.equal(row('linkingChunks').gzip, 2_000);
    assert.equal(row('qrEncoder').gzip, 3_000);
    assert.equal(row('streamChunk').gzip, 500);
    assert.equal(row('actionRunner').gzip, 850);
    assert.equal(row('standaloneTotal').gzip, 18_750);
  });

  it('an unknown file counts as eager (a new chunk is never left out by accident)', () => {
    const rows = standaloneRows([...files, file('surprise-h.js', 123)]);
    assert.equal(rows.find((r) => r.id === 'connectedWidget')!.gzip, 11_023);
  });

  it('every target is met, so each is its own ceiling', () => {
    assert.deepEqual(BUDGETS, TARGETS);
  });
});
