import { expect } from 'chai';
import type { SessionAnswerWire } from '@whatsapp-connector/client';
import { ACTION_RUNNER } from '../src/controllers/actions.js';
import { buttonPart, flush, record, resolvesWithin, unmountAll, waitFor } from './helpers/dom.js';
import { mountOnRealClient, type MountedOnRealClient } from './helpers/real-client.js';

// The action runner (@lit/task) never arrives on this page: its load either stalls
// (a CDN or a mobile link that never answers) or fails. The actions must not care.
type Runner = NonNullable<typeof ACTION_RUNNER.value>;
type Loader = { load(): Promise<Runner> | null };

const base = { sessionName: 'eagles_42', connected: false };
const working: SessionAnswerWire = { ...base, status: 'WORKING', connected: true, me: { id: '5215512345678@c.us', pushName: 'Ventas' } };
const failed: SessionAnswerWire = { ...base, status: 'FAILED' };

describe('<whatsapp-connector> while its action runner chunk stalls or fails', () => {
  const realLoad = ACTION_RUNNER.load.bind(ACTION_RUNNER);
  let mode: 'stall' | 'fail' = 'stall';
  let loads = 0;
  let mounted: MountedOnRealClient | undefined;

  beforeEach(() => {
    loads = 0;
    (ACTION_RUNNER as Loader).load = () => {
      loads++;
      // A stalled request (a CDN or a mobile link that never answers): the import neither loads nor fails.
      if (mode === 'stall') return new Promise<Runner>(() => undefined);
      return Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    };
  });

  afterEach(() => {
    unmountAll();
    mounted?.rig.client.dispose();
    mounted = undefined;
    (ACTION_RUNNER as Loader).load = realLoad;
  });

  it('a stalled runner chunk: once the backend has answered, the way out of FAILED is enabled again', async () => {
    mode = 'stall';
    mounted = await mountOnRealClient(failed);
    const { element, rig } = mounted;
    // WAHA fails again: the answer is FAILED, and the person needs "Link again" once more.
    rig.backend.onPost = () => ({ json: failed });
    const events = record(element, ['wac-action']);
    buttonPart(element, 'reconnect').click();
    await waitFor(() => events.log.length === 2, 'the action framed by start and success');
    await flush();
    await flush();
    expect(rig.backend.posts).to.have.length(1);
    expect(element.snapshot?.pendingAction ?? null, 'the client has nothing pending').to.equal(null);
    const again = buttonPart(element, 'reconnect');
    expect(again.getAttribute('aria-busy'), 'the finished action no longer shows as running').to.equal('false');
    expect(again.disabled, 'Link again is enabled').to.equal(false);
    again.click();
    await flush();
    expect(rig.backend.posts, 'a second click sends the second reconnect').to.have.length(2);
  });

  it('a stalled runner chunk: refresh() resolves once its GET has answered', async () => {
    mode = 'stall';
    mounted = await mountOnRealClient(working);
    const { element, rig } = mounted;
    const refreshing = element.refresh();
    await waitFor(() => rig.backend.gets.length === 2, 'the refresh GET');
    expect(await resolvesWithin(refreshing, 1000), 'refresh() resolved within 1 s of its answer').to.equal(true);
  });

  // A runner with nothing to show (the action went through) holds nothing up.
  it('a stalled runner chunk: updateComplete settles once the action is over', async () => {
    mode = 'stall';
    mounted = await mountOnRealClient(working);
    const { element, rig } = mounted;
    void element.refresh();
    await waitFor(() => rig.backend.gets.length === 2, 'the refresh GET');
    await flush();
    expect(await resolvesWithin(element.updateComplete, 1000), 'updateComplete settled within 1 s').to.equal(true);
  });

  it('a stalled runner chunk: reconnect() resolves with its result once the backend has answered', async () => {
    mode = 'stall';
    mounted = await mountOnRealClient(failed);
    const { element, rig } = mounted;
    const events = record(element, ['wac-action']);
    const reconnecting = element.reconnect();
    await waitFor(() => events.log.length === 2, 'the action framed by start and success');
    expect(rig.backend.posts).to.have.length(1);
    expect(await resolvesWithin(reconnecting, 1000), 'reconnect() resolved within 1 s of its success event').to.equal(true);
  });

  it('a failed runner chunk: refresh() still shows as running while its GET is out', async () => {
    mode = 'fail';
    mounted = await mountOnRealClient(working);
    const { element, rig } = mounted;
    rig.backend.holdReplies = true;
    const refreshing = element.refresh();
    await waitFor(() => rig.backend.held === 1, 'the refresh GET');
    await flush();
    await flush();
    expect(loads).to.equal(1);
    const logout = buttonPart(element, 'logout');
    expect(logout.disabled, 'the buttons stay disabled while refresh() runs').to.equal(true);
    rig.backend.holdReplies = false;
    rig.backend.release();
    await refreshing;
    await flush();
    expect(buttonPart(element, 'logout').disabled, 'and enabled once it is over').to.equal(false);
  });

  it('a stalled runner chunk: the action in flight is the one shown as running, not a newer one refused at once', async () => {
    mode = 'stall';
    mounted = await mountOnRealClient(failed);
    const { element, rig } = mounted;
    rig.backend.holdPosts = true;
    const reconnecting = element.reconnect();
    await waitFor(() => rig.backend.held === 1, 'the reconnect POST');
    // The client refuses a second action while one is out (busy); that run ends at once.
    const changing = await element.changeNumber();
    expect(changing.ok).to.equal(false);
    await flush();
    expect(buttonPart(element, 'reconnect').getAttribute('aria-busy'), 'reconnect (in flight) shows as running').to.equal('true');
    expect(buttonPart(element, 'change-number').getAttribute('aria-busy')).to.equal('false');
    rig.backend.releasePosts();
    expect((await reconnecting).ok).to.equal(true);
  });
});
