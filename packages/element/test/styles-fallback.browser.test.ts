import { expect } from 'chai';

// Where a browser has no constructable stylesheets, Lit's reactive base puts the
// element's styles in <style> elements inside the shadow root (docs/security.md:
// `window.litNonce`). Rendering must leave them there. Its own page: Lit decides
// which way to go when its module is evaluated, so ShadyCSS is set before the import.
describe('<whatsapp-connector> without constructable stylesheets', () => {
  it('keeps Lit\'s fallback <style> elements through its renders, so it stays styled', async () => {
    (globalThis as { ShadyCSS?: unknown }).ShadyCSS = { nativeShadow: false };
    await import('../src/define.js');
    const { FakeSessionClient } = await import('./helpers/fake-client.js');
    const client = new FakeSessionClient();
    client.push({ phase: 'connected', status: 'WORKING', me: { id: '5215512345678@c.us', pushName: 'Eagles' } });
    const element = document.createElement('whatsapp-connector');
    element.lang = 'en';
    element.client = client;
    document.body.append(element);
    await element.updateComplete;
    const shadow = element.shadowRoot!;
    expect(shadow.adoptedStyleSheets).to.have.length(0);
    expect(shadow.querySelectorAll('style').length).to.be.greaterThan(0);
    expect(getComputedStyle(shadow.querySelector('[part~="base"]')!).display).to.equal('grid');
    client.push({ phase: 'failed', status: 'FAILED', me: null });
    await element.updateComplete;
    expect(shadow.querySelectorAll('style').length).to.be.greaterThan(0);
    expect(getComputedStyle(shadow.querySelector('[part~="base"]')!).display).to.equal('grid');
    // The linking view's styles join once, the element's are not added a second time.
    const before = [...shadow.querySelectorAll('style')].map((style) => style.textContent);
    client.push({ phase: 'qr', status: 'SCAN_QR', qr: 'code-1', me: null });
    await element.updateComplete;
    const after = [...shadow.querySelectorAll('style')].map((style) => style.textContent);
    expect(after.slice(0, before.length)).to.deep.equal(before);
    expect(after).to.have.length(before.length + 1);
    // The linking view is styled (its .qr box is a grid).
    expect(getComputedStyle(shadow.querySelector('[part~="qr"]')!).display).to.equal('grid');
    element.remove();
  });
});
