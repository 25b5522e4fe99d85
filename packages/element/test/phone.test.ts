import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayPhone, formatPhone, phoneDigits } from '../src/phone.js';

describe('phoneDigits', () => {
  it('reads the digits of a WhatsApp id', () => {
    assert.equal(phoneDigits({ id: '5215512345678@c.us' }), '5215512345678');
    assert.equal(phoneDigits({ id: '5511912345678@s.whatsapp.net' }), '5511912345678');
    assert.equal(phoneDigits({ id: '5215512345678:12@s.whatsapp.net' }), '5215512345678');
  });

  it('prefers me.phone, and knows that @lid ids and junk carry no number', () => {
    assert.equal(phoneDigits({ id: '123456789012@lid', phone: '+52 1 55 1234 5678' }), '5215512345678');
    assert.equal(phoneDigits({ id: '123456789012@lid' }), null);
    assert.equal(phoneDigits({ id: '<b>1</b>@c.us' }), null);
    assert.equal(phoneDigits({ id: '' }), null);
    assert.equal(phoneDigits(null), null);
  });
});

describe('formatPhone', () => {
  const cases: Array<[string, string]> = [
    ['5215512345678', '+52 1 55 1234 5678'],
    ['525512345678', '+52 55 1234 5678'],
    ['5219991234567', '+52 1 999 123 4567'],
    ['522221234567', '+52 222 123 4567'],
    ['5511912345678', '+55 11 91234 5678'],
    ['551132345678', '+55 11 3234 5678'],
    ['14155552671', '+1 415 555 2671'],
    ['34612345678', '+34 612 34 56 78'],
    ['4915112345678', '+4915112345678'],
  ];
  for (const [digits, expected] of cases) {
    it(`${digits} → ${expected}`, () => assert.equal(formatPhone(digits), expected));
  }

  it('displayPhone combines both', () => {
    assert.equal(displayPhone({ id: '5215512345678@c.us' }), '+52 1 55 1234 5678');
    assert.equal(displayPhone({ id: 'x@lid' }), null);
  });
});
