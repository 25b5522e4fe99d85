import { expect } from 'chai';
import type { SessionAnswerWire } from '@whatsapp-connector/client';
import { ACTION_RUNNER } from '../src/controllers/actions.js';
import { buttonPart, flush, part, record, root, statusText, unmountAll, waitFor } from './helpers/dom.js';
import { mountOnRealClient, type MountedOnRealClient } from './helpers/real-client.js';

type Runner = NonNullable<typeof ACTION_RUNNER.value>;
type Loader = { load(): Promise<Runner> | null };

const base = { sessionName: 'eagles_42', connected: false };
const working: SessionAnswerWire = { ...base, status: 'WORKING', connected: true, me: { id: '5215512345678@c.us', pushName: 'Ventas' } };
const failed: SessionAnswerWire = { ...base, status: 'FAILED' };

// @lit/task arrives with the first action. This page starts without it, and the
// tests run in order: never loaded, a load that fails, then one that arrives late.
describe('<whatsapp-connector> and its action runner chunk', () => {
  const realLoad = ACTION_RUNNER.load.bind(ACTION_RUNNER);
  let loads = 0;
  let failing = false;
  let gate: Promise<void> | null = null;
  let mounted: MountedOnRealClient | undefined;

  beforeEach(() => {
    loads = 0;
    failing = false;
    gate = null;
    (ACTION_RUNNER as Loader).load = () => {
      if (ACTION_RUNNER.value) return null;
      loads++;
      if (failing) return Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
      return gate ? gate.then(() => realLoad()!) : realLoad();
    };
  });

  afterEach(() => {
    unmountAll();
    mounted?.rig.client.dispose();
    mounted = undefined;
    (ACTION_RUNNER as Loader).load = realLoad;
  });

  it('a page nobody acts on never loads it', async () => {
    mounted = await mountOnRealClient(working);
    await flush(mounted.element, 10);
    expect(statusText(mounted.element)).to.equal('Active');
    expect(loads).to.equal(0);
    expect(ACTION_RUNNER.value).to.equal(undefined);
  });

  it('when it cannot load, the action still goes out (its events and result as always), and the next action tries the chunk again', async () => {
    failing = true;
    mounted = await mountOnRealClient(failed);
    const { element, rig } = mounted;
    const events = record(element, ['wac-action']);
    const result = await element.reconnect();
    expect(result.ok).to.equal(true);
    expect(loads).to.equal(1);
    expect(rig.backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'reconnect' }]);
    expect(events.log.map((event) => (event.detail as { stage: string }).stage)).to.deep.equal(['start', 'success']);
    await waitFor(() => element.snapshot?.phase === 'qr', 'the new code');
    // The way out of a failed session did not depend on the chunk; the next action asks for it again.
    await element.changeNumber();
    expect(loads).to.equal(2);
    expect(rig.backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'reconnect' }, { action: 'change_number' }]);
    expect(ACTION_RUNNER.value).to.equal(undefined);
  });

  it('the first action goes out at once and shows as running until the chunk arrives; a refusal that came first is shown then', async () => {
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    mounted = await mountOnRealClient(working);
    const { element, rig } = mounted;
    rig.backend.holdPosts = true;
    let complete = false;
    const change = buttonPart(element, 'change-number');
    change.click();
    void element.updateComplete.then(() => (complete = true));
    // No element: flushing with it would wait for updateComplete, which waits for the chunk.
    await flush();
    expect(rig.backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'change_number' }]);
    expect(change.getAttribute('aria-busy')).to.equal('true');
    for (const button of root(element).querySelectorAll('button')) expect(button.disabled, button.textContent ?? '').to.equal(true);
    change.click();
    buttonPart(element, 'logout').click();
    await flush();
    expect(rig.backend.posts).to.have.length(1);
    // The backend refuses before the runner is there.
    rig.backend.release({ status: 409, json: { error: { code: 'conflict', message: 'Already changing' } } });
    await flush();
    expect(part(element, 'error')).to.equal(null);
    expect(complete, 'updateComplete waits for the runner').to.equal(false);
    open();
    await element.updateComplete;
    expect(complete).to.equal(true);
    expect(loads).to.equal(1);
    expect(ACTION_RUNNER.value).to.be.a('function');
    expect(part(element, 'error')?.textContent).to.contain('Already changing');
    expect(buttonPart(element, 'change-number').disabled).to.equal(false);
    expect(rig.backend.posts).to.have.length(1);
  });
});
