import { expect } from 'chai';
import { Task } from '@lit/task';
import { SessionError, type SessionAnswerWire } from '@whatsapp-connector/client';
import { ACTION_RUNNER } from '../src/controllers/actions.js';
import { buttonPart, flush, mountOnFakeClient, part, resolvesWithin, unmountAll, waitFor } from './helpers/dom.js';
import { mountOnRealClient, type MountedOnRealClient } from './helpers/real-client.js';

// The first action on a page and the runner chunk it loads, in every order. ACTION_RUNNER
// is replaced by a controllable one per test (value and load, as lazy() makes them), so
// that each test starts with no runner, which comes when the test opens the gate.
// Written by review rv8.
type Runner = NonNullable<typeof ACTION_RUNNER.value>;

const base = { sessionName: 'eagles_42', connected: false };
const working: SessionAnswerWire = { ...base, status: 'WORKING', connected: true, me: { id: '5215512345678@c.us', pushName: 'Ventas' } };
const refusal = { status: 409, json: { error: { code: 'conflict', message: 'Already changing' } } };
const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

describe('<whatsapp-connector>: the first action and its runner chunk, in every order', () => {
  const descriptor = { value: Object.getOwnPropertyDescriptor(ACTION_RUNNER, 'value')!, load: Object.getOwnPropertyDescriptor(ACTION_RUNNER, 'load')! };
  let open!: () => void;
  let mounted: MountedOnRealClient | undefined;

  beforeEach(() => {
    let value: Runner | undefined;
    let pending: Promise<Runner> | undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    Object.defineProperty(ACTION_RUNNER, 'value', { configurable: true, get: () => value });
    Object.defineProperty(ACTION_RUNNER, 'load', {
      configurable: true,
      // As lazy(): the value is set one step before the load's promise settles.
      value: () => (value ? null : (pending ??= gate.then(() => (value = Task as unknown as Runner)))),
    });
  });

  afterEach(() => {
    unmountAll();
    mounted?.rig.client.dispose();
    mounted = undefined;
    Object.defineProperty(ACTION_RUNNER, 'value', descriptor.value);
    Object.defineProperty(ACTION_RUNNER, 'load', descriptor.load);
  });

  // A page's wac-action start listener starts another action (re-entrant #run). The nested run
  // is the newer one (#seq) and its request goes out first; the outer one is refused at once
  // (busy) and, being the last to set #arriving, clears it when it ends: updateComplete then no
  // longer waits for the nested run's refusal, which the runner shows later.
  it('a refusal that came first is rendered by updateComplete, also when a wac-action listener started that action', async () => {
    mounted = await mountOnRealClient(working);
    const { element, rig } = mounted;
    rig.backend.holdPosts = true;
    let nested: Promise<unknown> | undefined;
    element.addEventListener('wac-action', ({ detail }) => {
      if (detail.stage === 'start' && detail.action === 'logout' && !nested) nested = element.changeNumber();
    });
    const outer = await element.logout();
    expect(outer.ok === false && outer.error.code, 'the outer run was refused at once').to.equal('busy');
    expect(rig.backend.posts.map((post) => post.body)).to.deep.equal([{ action: 'change_number' }]);
    rig.backend.release(refusal);
    await nested;
    await flush();
    expect(part(element, 'error'), 'no alert before the runner').to.equal(null);
    // As action-runner.browser.test's "a refusal that came first is shown then": updateComplete waits for the runner.
    const waited = !(await resolvesWithin(element.updateComplete, 300));
    open();
    await element.updateComplete;
    const shown = part(element, 'error')?.textContent ?? '(no alert)';
    expect(shown, 'the alert is rendered once the runner came and updateComplete resolved').to.contain('Already changing');
    expect(waited, 'updateComplete waits for the runner, which has a refusal to show').to.equal(true);
  });

  // The same flow without the listener, for contrast.
  it('control: a refusal that came first is rendered by updateComplete', async () => {
    mounted = await mountOnRealClient(working);
    const { element, rig } = mounted;
    rig.backend.holdPosts = true;
    const changing = element.changeNumber();
    await waitFor(() => rig.backend.held === 1, 'the POST');
    rig.backend.release(refusal);
    await changing;
    open();
    await element.updateComplete;
    expect(part(element, 'error')?.textContent ?? null).to.contain('Already changing');
  });

  for (const offset of ['loaded before', -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6] as const) {
    // "Await the method, then updateComplete", as a page does. (Asked right after the refusal, updateComplete
    // does not wait for the Task's own settling either when the runner was there from the start: Lit and Task.)
    it(`runner ${typeof offset === 'string' ? offset : offset < 0 ? `${-offset} microtasks before` : `${offset} microtasks after`} the refusal: the alert is there once the method and updateComplete resolved`, async () => {
      const { client, element } = await mountOnFakeClient({ phase: 'connected', status: 'WORKING', connected: true });
      if (offset === 'loaded before') {
        open();
        await ACTION_RUNNER.load();
      }
      const changing = element.changeNumber();
      await ticks(3);
      const refuse = () => client.settle({ ok: false, error: new SessionError({ code: 'http', message: 'Conflict', httpStatus: 409 }) });
      if (offset === 'loaded before') refuse();
      else if (offset < 0) {
        open();
        await ticks(-offset);
        refuse();
      } else {
        refuse();
        await ticks(offset);
        open();
      }
      await changing;
      await element.updateComplete;
      expect(part(element, 'error'), 'the alert').to.not.equal(null);
      const button = buttonPart(element, 'change-number');
      expect(button.getAttribute('aria-busy')).to.equal('false');
      expect(button.disabled).to.equal(false);
      expect((await changing).ok).to.equal(false);
    });
  }
});
