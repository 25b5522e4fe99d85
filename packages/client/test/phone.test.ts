import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parsePhoneNumber, phoneFromWhatsAppId } from '../src/contract/phone.js';

describe('parsePhoneNumber', () => {
  it('keeps the digits of what people type', () => {
    assert.equal(parsePhoneNumber('+52 1 (55) 1234-5678'), '5215512345678');
    assert.equal(parsePhoneNumber('0052 1 55 1234 5678'), '5215512345678');
    assert.equal(parsePhoneNumber(' 55.11.91234.5678 '), '5511912345678');
    assert.equal(parsePhoneNumber('5215512345678'), '5215512345678');
  });

  it('takes the shortest numbers in service (7 digits: Niue, Tokelau) and the longest E.164 allows (15)', () => {
    assert.equal(parsePhoneNumber('+683 5123'), '6835123');
    assert.equal(parsePhoneNumber('+690 7290'), '6907290');
    assert.equal(parsePhoneNumber('123456789012345'), '123456789012345');
  });

  it('refuses too short, too long, a leading 0, letters, a doubled prefix and non-strings', () => {
    for (const bad of ['', '   ', '123456', '1234567890123456', '0155123456', '52155abc5678', '++5215512345678', '+00521551234567', '52 155 1234 5678 ext 2']) {
      assert.equal(parsePhoneNumber(bad), null, bad);
    }
    for (const bad of [undefined, null, 5215512345678, {}, ['5215512345678']]) assert.equal(parsePhoneNumber(bad), null);
  });

  it('answers 7 to 15 digits without a leading 0, or null, for any input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const digits = parsePhoneNumber(text);
        assert.ok(digits === null || /^[1-9]\d{6,14}$/.test(digits), String(digits));
      }),
    );
  });
});

describe('phoneFromWhatsAppId', () => {
  it('reads the number of a contact id and of a linked device', () => {
    assert.equal(phoneFromWhatsAppId('5215512345678@c.us'), '5215512345678');
    assert.equal(phoneFromWhatsAppId('5511912345678@s.whatsapp.net'), '5511912345678');
    assert.equal(phoneFromWhatsAppId('5215512345678:12@s.whatsapp.net'), '5215512345678');
  });

  it('knows that @lid ids, groups, junk and numbers of the wrong length carry no number', () => {
    for (const id of ['123456789012@lid', '120363@g.us', '<b>1</b>@c.us', '', '123456@c.us', '1234567890123456789@c.us', '0215512345678@c.us']) {
      assert.equal(phoneFromWhatsAppId(id), null, id);
    }
    assert.equal(phoneFromWhatsAppId(undefined), null);
  });
});
