import { expect } from 'chai';
import { h, patch } from '../src/dom.js';

/** A fresh shadow root to render into, as the element does. */
function root(): ShadowRoot {
  const host = document.createElement('div');
  document.body.append(host);
  return host.attachShadow({ mode: 'open' });
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('dom: h() and patch()', () => {
  it('renders elements, text and attributes; true is an empty attribute, false / null / undefined none', () => {
    const into = root();
    patch(into, [h('p', { part: 'status', class: 'a', hidden: true, disabled: false, title: null, alt: undefined, 'data-size': 25 }, 'Hi ', h('b', null, 'there'))]);
    const p = into.firstElementChild!;
    expect(p.outerHTML).to.equal('<p part="status" class="a" hidden="" data-size="25">Hi <b>there</b></p>');
  });

  it('renders a server string as text, never as markup', () => {
    const into = root();
    const hostile = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    patch(into, [h('p', null, hostile)]);
    const p = into.firstElementChild!;
    expect(p.childNodes).to.have.length(1);
    expect(p.firstChild).to.be.instanceOf(Text);
    expect(p.textContent).to.equal(hostile);
    expect(into.querySelector('img, b')).to.equal(null);
  });

  it('flattens lists and skips nothing-values (null, undefined, false, empty text)', () => {
    const into = root();
    patch(into, [h('ol', null, [h('li', null, 'one'), [null, false, '', undefined, h('li', null, 'two')]])]);
    expect(into.innerHTML).to.equal('<ol><li>one</li><li>two</li></ol>');
  });

  it('keeps a node whose tag, part and role match: a focused field keeps its focus, caret and node', () => {
    const into = root();
    const form = (value: string, invalid: boolean) => [
      h('input', { id: 'phone', part: 'input', '.value': value, 'aria-invalid': String(invalid) }),
      invalid && h('p', { role: 'alert' }, 'Invalid'),
    ];
    patch(into, form('+34 600', false));
    const input = into.querySelector('input')!;
    input.focus();
    input.setSelectionRange(2, 2);
    patch(into, form('+34 600', true));
    expect(into.querySelector('input')).to.equal(input);
    expect(into.activeElement).to.equal(input);
    expect(input.selectionStart).to.equal(2);
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(into.querySelector('[role=alert]')?.textContent).to.equal('Invalid');
    patch(into, form('+34 6001', false));
    expect(input.value).to.equal('+34 6001');
    expect(into.querySelector('[role=alert]')).to.equal(null);
  });

  it('creates a new node where the part or the role differs, so a new alert is announced', () => {
    const into = root();
    patch(into, [h('p', { class: 'detail' }, 'Preparing…')]);
    const before = into.firstElementChild;
    patch(into, [h('p', { class: 'detail', role: 'alert' }, 'Cannot load')]);
    expect(into.firstElementChild).not.to.equal(before);
    expect(into.children).to.have.length(1);
    const alert = into.firstElementChild;
    patch(into, [h('p', { class: 'detail', role: 'alert', part: 'reason' }, 'Cannot load')]);
    expect(into.firstElementChild).not.to.equal(alert);
    const reason = into.firstElementChild;
    patch(into, [h('p', { class: 'other', role: 'alert', part: 'reason' }, 'Still')]);
    expect(into.firstElementChild).to.equal(reason);
    expect(reason?.className).to.equal('other');
  });

  it('removes attributes a later render drops, and nodes left over', () => {
    const into = root();
    patch(into, [h('button', { disabled: true, 'data-action': 'logout' }, 'Log out'), h('span', null, 'x'), 'tail']);
    const button = into.querySelector('button')!;
    patch(into, [h('button', { disabled: false }, 'Log out')]);
    expect(into.querySelector('button')).to.equal(button);
    expect(button.hasAttribute('disabled')).to.equal(false);
    expect(button.hasAttribute('data-action')).to.equal(false);
    expect(into.childNodes).to.have.length(1);
  });

  it('listens once per event, calls the latest render\'s listener, and none once it is gone', () => {
    const into = root();
    const calls: string[] = [];
    const render = (name: string | null) => patch(into, [h('button', name ? { '@click': () => calls.push(name) } : {}, 'Go')]);
    render('first');
    render('second');
    render('third');
    const button = into.querySelector('button')!;
    button.click();
    expect(calls).to.deep.equal(['third']);
    render(null);
    button.click();
    expect(calls).to.deep.equal(['third']);
    render('again');
    button.click();
    expect(calls).to.deep.equal(['third', 'again']);
  });

  it('puts svg and what it holds in the SVG namespace, the rest in HTML', () => {
    const into = root();
    patch(into, [h('div', null, h('svg', { viewBox: '0 0 2 2' }, h('path', { d: 'M0 0h1v1h-1z' })))]);
    const svg = into.querySelector('svg')!;
    expect(into.firstElementChild?.namespaceURI).to.equal('http://www.w3.org/1999/xhtml');
    expect(svg.namespaceURI).to.equal('http://www.w3.org/2000/svg');
    expect(svg.firstElementChild?.namespaceURI).to.equal('http://www.w3.org/2000/svg');
    expect(svg.getAttribute('viewBox')).to.equal('0 0 2 2');
    expect(svg.getBBox).to.be.a('function');
  });

  it('turns text into an element and back at one position', () => {
    const into = root();
    patch(into, ['plain']);
    patch(into, [h('b', null, 'bold')]);
    expect(into.innerHTML).to.equal('<b>bold</b>');
    patch(into, ['plain again']);
    expect(into.innerHTML).to.equal('plain again');
  });

  it('keeps the later nodes, and their focus, when an earlier one goes away', () => {
    const into = root();
    const render = (note: boolean) =>
      patch(into, [h('p', { part: 'phone' }, '+52'), note && h('p', { part: 'health' }, 'Unstable'), h('div', { part: 'actions' }, h('button', { part: 'logout' }, 'Log out')), h('div', { part: 'error', role: 'alert' }, 'Failed')]);
    render(true);
    const [phone, , actions, error] = [...into.children];
    const logout = into.querySelector('button')!;
    logout.focus();
    render(false);
    expect([...into.children]).to.deep.equal([phone, actions, error]);
    expect(into.querySelector('button')).to.equal(logout);
    expect(into.activeElement).to.equal(logout);
    render(true);
    expect(into.children[0]).to.equal(phone);
    expect(into.children[1]?.getAttribute('part')).to.equal('health');
    expect(into.children[2]).to.equal(actions);
    expect(into.activeElement).to.equal(logout);
  });

  it('tells elements apart by key (never written to the DOM): another key is a new node', () => {
    const into = root();
    patch(into, [h('div', { role: 'alert', key: 'failed' }, 'The session stopped')]);
    const failed = into.firstElementChild;
    expect(failed?.hasAttribute('key')).to.equal(false);
    patch(into, [h('div', { role: 'alert', key: 'failed' }, 'Still stopped')]);
    expect(into.firstElementChild).to.equal(failed);
    patch(into, [h('div', { role: 'alert', key: 'unreachable' }, 'Offline')]);
    expect(into.firstElementChild).not.to.equal(failed);
    expect(into.children).to.have.length(1);
  });

  it('leaves alone the nodes it did not make (Lit\'s fallback <style> elements)', () => {
    const into = root();
    const style = document.createElement('style');
    into.append(style);
    patch(into, [h('p', null, 'one')]);
    patch(into, [h('div', null, 'two'), 'three']);
    const later = document.createElement('style');
    into.append(later);
    patch(into, [h('div', null, 'four')]);
    expect(style.isConnected).to.equal(true);
    expect(later.isConnected).to.equal(true);
    expect(into.querySelectorAll('style')).to.have.length(2);
    expect(into.querySelector('div')?.textContent).to.equal('four');
    expect(into.textContent).to.equal('four');
  });

  it('sets a property only when the description changes it, so what a field holds survives a re-render', () => {
    const into = root();
    const render = (value: string) => patch(into, [h('input', { '.value': value })]);
    render('');
    const input = into.querySelector('input')!;
    input.value = '5215512345678'; // filled without an input event
    render('');
    expect(input.value).to.equal('5215512345678');
    render('+34');
    expect(input.value).to.equal('+34');
  });

  it('renders as text anything h() did not make, even an object shaped like its descriptions', () => {
    const into = root();
    const forged = JSON.parse('{"tag": "img", "props": {"src": "x", ".innerHTML": "<b>b</b>"}, "children": []}');
    patch(into, [h('p', null, forged, 42 as unknown as string)]);
    expect(into.querySelector('img, b')).to.equal(null);
    expect(into.firstElementChild?.textContent).to.equal('[object Object]42');
  });
});
