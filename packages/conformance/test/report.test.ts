import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatReport, formatSummary, type ConformanceReport } from '../src/index.js';

const REPORT: ConformanceReport = {
  url: 'http://127.0.0.1:3000/api/whatsapp/session',
  results: [
    { id: 'get.json', title: 'GET answers 200 with a JSON object', outcome: 'pass' },
    { id: 'post.invalid-action-400', title: 'POST with an unknown action answers 400', outcome: 'fail', detail: 'expected HTTP 400,\n got HTTP 200' },
    { id: 'stream.advertised', title: 'Stream', outcome: 'skip', detail: 'x'.repeat(300) },
  ],
  passed: 1,
  failed: 1,
  skipped: 1,
};

describe('formatReport', () => {
  it('aligns ids and titles in columns and ends with the summary', () => {
    const lines = formatReport(REPORT).split('\n');
    assert.equal(lines[0], 'Conformance of http://127.0.0.1:3000/api/whatsapp/session');
    assert.equal(lines[2], 'PASS  get.json                 GET answers 200 with a JSON object');
    assert.equal(
      lines[3],
      'FAIL  post.invalid-action-400  POST with an unknown action answers 400  expected HTTP 400, got HTTP 200',
    );
    assert.ok(lines[4]!.startsWith('SKIP  stream.advertised        Stream                                   xxx'));
    assert.equal(lines.at(-2), '1 passed, 1 failed, 1 skipped');
    assert.equal(lines.at(-1), '', 'ends with a newline');
  });

  it('cuts long details to one line of maxDetail characters', () => {
    const skipLine = formatReport(REPORT, { maxDetail: 20 }).split('\n')[4]!;
    assert.ok(skipLine.endsWith(`${'x'.repeat(19)}…`), skipLine);
    assert.ok(formatReport(REPORT, { maxDetail: Infinity }).includes('x'.repeat(300)));
  });

  it('formats the summary line', () => {
    assert.equal(formatSummary({ passed: 12, failed: 0, skipped: 3 }), '12 passed, 0 failed, 3 skipped');
  });
});
