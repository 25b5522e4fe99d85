import type { ReactiveControllerHost } from '@lit/reactive-element';
import type { Task, TaskStatus } from '@lit/task';
import { SessionError, type ActionResult, type SessionAction, type SessionClient, type SessionSnapshot } from '@whatsapp-connector/client';
import { emit, type WacActionName } from '../events.js';
import { lazy } from '../lazy.js';

/**
 * `@lit/task`'s Task, in a chunk of its own that the first action loads: a page
 * on which nobody acts (most of the time, a linked number) never downloads it.
 */
export const ACTION_RUNNER = lazy(() => import('@lit/task').then((module) => module.Task));

// Task's status values, written here so that reading them does not import the module.
const PENDING: TaskStatus = 1;
const ERROR: TaskStatus = 3;

/** A failed action and the phase it failed in: its alert shows only while that phase lasts. */
interface Failure {
  readonly error: SessionError;
  readonly phase: string;
}

type Host = ReactiveControllerHost & EventTarget;

/**
 * Runs the element's manual actions on a `@lit/task` Task: `pending` while the
 * request is out (the buttons show it), `error` when the backend refused (an
 * alert, in the phase it happened), and a run that a newer one replaced is
 * dropped. Each run is framed by `wac-action` start and success / error.
 *
 * The Task arrives with the first action ({@link ACTION_RUNNER}), which does not
 * wait for it: the request, the result and the pending state follow the client.
 * Should the chunk not load, or be slow to, actions work all the same, without
 * the alert of a refusal: no way out of a phase depends on it.
 */
export class ActionController {
  readonly #host: Host;
  readonly #client: () => SessionClient | null | Promise<SessionClient | null>;
  readonly #phase: () => string;
  #task: Task<[() => Promise<void>], void> | undefined;
  /** The runs whose request is out before the runner has come, by {@link #seq}: the newest is pending too. */
  readonly #out = new Set<number>();
  /** Counts runs, so that one replaced while the runner loaded is not handed to it. */
  #seq = 0;
  /** The newest run's {@link arriving}; a run that ends clears it if it is still its own. */
  #arriving: Promise<void> | undefined;
  #action: WacActionName | null = null;
  #dismissed: unknown;

  /**
   * @param host the element.
   * @param client the attached client; a promise of it while the first update (which attaches it) is due; `null` out of the document.
   * @param phase reads the phase on screen.
   */
  constructor(host: Host, client: () => SessionClient | null | Promise<SessionClient | null>, phase: () => string) {
    this.#host = host;
    this.#client = client;
    this.#phase = phase;
  }

  /**
   * While the runner ({@link ACTION_RUNNER}) has something to show when it
   * comes (a run whose request is out, or a refusal): settles once it has taken
   * that over, or failed to load. `undefined` otherwise.
   */
  get arriving(): Promise<void> | undefined {
    return this.#arriving;
  }

  /** The action this element is running, or `null`. */
  get running(): WacActionName | null {
    return this.#out.has(this.#seq) || this.#task?.status === PENDING ? this.#action : null;
  }

  /** The last action's error while the session is still in the phase it failed in, unless dismissed. */
  get error(): SessionError | null {
    const failure = this.#task?.status === ERROR && this.#task.error !== this.#dismissed ? (this.#task.error as Failure) : null;
    return failure?.phase === this.#phase() ? failure.error : null;
  }

  /** Hides the last action's error (the person moved on). */
  dismiss(): void {
    this.#dismissed = this.#task?.error;
    this.#host.requestUpdate();
  }

  /** Sends `action` through the client; a failure other than `aborted` / `busy` is shown. */
  async act(action: SessionAction, call: (client: SessionClient) => Promise<ActionResult>): Promise<ActionResult> {
    const result = await this.#run(action, call, (answer) => (answer.ok ? null : answer.error), true);
    // Only "no client" is null: a call that threw (a page's own client) is no reason to say "not in the document".
    return result === null ? { ok: false, action, error: new SessionError({ code: 'aborted', message: 'Not in the document: no session client.' }) } : result;
  }

  /** Polls now; a failed poll is shown by the view of its phase, not as an action error. */
  refresh(): Promise<SessionSnapshot | null> {
    const failed = (snapshot: SessionSnapshot) => (snapshot.phase === 'unreachable' || snapshot.phase === 'unauthorized' ? snapshot.error : null);
    return this.#run('refresh', (client) => client.refresh(), failed, false);
  }

  /** Runs `call` on the client, `null` without one (out of the document). */
  async #run<R>(action: WacActionName, call: (client: SessionClient) => Promise<R>, failure: (result: R) => SessionError | null, show: boolean): Promise<R | null> {
    // No await when the client is there: the run must be pending before a second click lands.
    const attached = this.#client();
    const client = attached instanceof Promise ? await attached : attached;
    if (!client) return null;
    this.#action = action;
    const seq = ++this.#seq;
    emit(this.#host, 'wac-action', { action, stage: 'start' });
    let result!: R;
    const run = async () => {
      result = await call(client);
      const error = failure(result);
      emit(this.#host, 'wac-action', error ? { action, stage: 'error', error } : { action, stage: 'success' });
      // Thrown, so the Task is in its error state; Task drops it if a newer run started.
      if (error && show && error.code !== 'aborted' && error.code !== 'busy') throw { error, phase: this.#phase() } satisfies Failure;
    };
    const done = run();
    const loading = ACTION_RUNNER.load();
    await (loading ? this.#beforeRunner(seq, done, loading) : this.#hand(done));
    return result;
  }

  /**
   * Run `seq` while the runner is on its way (the first action loads it): the request is
   * out already, and the result and the pending state follow it, not the runner. The
   * runner takes the run over if it comes first, or comes later to show a refusal, unless
   * a newer run started meanwhile (as the Task drops a replaced run). Settles when the
   * request is over, or when the runner has taken it over and it is.
   */
  async #beforeRunner(seq: number, done: Promise<void>, loading: Promise<unknown>): Promise<void> {
    const refused = done.then(() => false, () => true);
    const arrived = loading.then(() => true, () => false);
    let shown!: () => void;
    const arriving: Promise<void> = new Promise((resolve) => {
      shown = () => {
        if (this.#arriving === arriving) this.#arriving = undefined;
        resolve();
      };
    });
    // Only the newest run's: a run that a page's wac-action listener started from this one's start is newer.
    if (seq === this.#seq) this.#arriving = arriving;
    this.#out.add(seq);
    this.#host.requestUpdate();
    if ((await Promise.race([arrived, refused.then(() => false)])) && seq === this.#seq) {
      this.#out.delete(seq);
      const running = this.#hand(done);
      shown();
      await running;
      return;
    }
    const failed = await refused;
    this.#out.delete(seq);
    this.#host.requestUpdate();
    // Not awaited: a runner that is slow to come holds up neither the result nor the buttons. (Handed
    // a refusal that is over, the Task is pending for one render before its error: nothing is painted
    // between the two, and focus stays.)
    void (async () => {
      if (failed && (await arrived) && seq === this.#seq) await this.#hand(done);
      shown();
    })();
  }

  /** Hands `done` to the runner's Task (the runner is there). */
  #hand(done: Promise<void>): Promise<void> {
    return (this.#task ??= new ACTION_RUNNER.value!(this.#host, { autoRun: false, task: ([task]) => task() })).run([() => done]);
  }
}
