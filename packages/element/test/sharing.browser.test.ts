import { expect } from 'chai';
import { buttonPart, flush, statusText, useGlobalRig, waitFor } from './helpers/dom.js';

const base = { sessionName: 'eagles_42', connected: false };
const me = { id: '5215512345678@c.us', pushName: 'Ventas' };

// These elements make their own (shared) clients, so the test replaces the
// global fetch and the global timers: cadences are then exact to the millisecond.
describe('<whatsapp-connector> shared client', () => {
  const rig = useGlobalRig({ ...base, status: 'SCAN_QR_CODE', qr: 'code' });
  const { widget, tick } = rig;

  it('two elements with the same endpoint send one request per cadence tick', async () => {
    const a = await widget();
    const b = await widget();
    await waitFor(() => rig.backend.gets.length === 1 && a.snapshot?.phase === 'qr', 'the first poll');
    await flush(b);
    expect(a.snapshot).to.equal(b.snapshot);
    expect(statusText(b)).to.equal('Link your WhatsApp');
    await tick(7999);
    expect(rig.backend.gets.length).to.equal(1);
    await tick(1);
    expect(rig.backend.gets.length).to.equal(2);
    await tick(8000);
    expect(rig.backend.gets.length).to.equal(3);
    expect(new Set(rig.backend.gets.map((request) => new URL(request.url).pathname))).to.deep.equal(new Set(['/api/whatsapp/session']));
  });

  it('elements with different endpoints poll separately', async () => {
    await widget((el) => (el.endpoint = '/org-a/session'));
    await widget((el) => (el.endpoint = '/org-b/session'));
    await waitFor(() => rig.backend.gets.length === 2, 'two polls');
    expect(rig.backend.gets.map((request) => new URL(request.url).pathname).sort()).to.deep.equal(['/org-a/session', '/org-b/session']);
  });

  it('an action started in one element disables the buttons of the other', async () => {
    rig.backend.session = { ...base, status: 'WORKING', connected: true, me };
    const a = await widget();
    const b = await widget();
    await waitFor(() => a.snapshot?.phase === 'connected', 'connected');
    await flush(a);
    await flush(b);
    rig.backend.holdPosts = true;
    buttonPart(a, 'change-number').click();
    await flush(b);
    expect(buttonPart(b, 'change-number').disabled).to.equal(true);
    buttonPart(b, 'change-number').click();
    rig.backend.releasePosts();
    await waitFor(() => b.snapshot?.phase === 'qr', 'the QR');
    expect(rig.backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'change_number' }]);
  });

  it('defaults to 8 s while waiting and 30 s while connected', async () => {
    const element = await widget();
    await waitFor(() => element.snapshot?.phase === 'qr', 'the first answer');
    rig.backend.session = { ...base, status: 'WORKING', connected: true, me };
    await tick(8000);
    expect(rig.backend.gets.length).to.equal(2);
    await waitFor(() => element.snapshot?.phase === 'connected', 'connected');
    await tick(29999);
    expect(rig.backend.gets.length).to.equal(2);
    await tick(1);
    expect(rig.backend.gets.length).to.equal(3);
  });

  it('sends the headers and the credentials mode it is given', async () => {
    await widget((el) => {
      el.headers = { 'X-Org-Token': 'abc' };
      el.credentials = 'include';
      el.endpoint = '/with-headers';
    });
    await waitFor(() => rig.backend.gets.length === 1, 'the first poll');
    expect(rig.backend.gets[0]?.headers.get('x-org-token')).to.equal('abc');
  });
});
