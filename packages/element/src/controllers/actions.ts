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
 * The Task arrives with the first action ({@link ACTION_RUNNER}); that action
 * shows as pending meanwhile. Should its chunk fail to load, the action is
 * still sent, straight to the client (its events and result as always, but no
 * alert), and the next action tries the chunk again: no way out of a phase
 * depends on it.
 */
export class ActionController {
  readonly #host: Host;
  readonly #client: () => SessionClient | null | Promise<SessionClient | null>;
  readonly #phase: () => string;
  #task: Task<[() => Promise<void>], void> | undefined;
  /** Runs waiting for {@link ACTION_RUNNER}: pending too. */
  #waiting = 0;
  /** Counts runs, so that one replaced while the runner loaded is not handed to it. */
  #seq = 0;
  #arriving: Promise<unknown> | undefined;
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
   * While actions wait for {@link ACTION_RUNNER}: settles once it has arrived
   * (or failed) and taken them over. `undefined` when nothing waits.
   */
  get arriving(): Promise<unknown> | undefined {
    return this.#arriving;
  }

  /** The action this element is running, or `null`. */
  get running(): WacActionName | null {
    return this.#waiting || this.#task?.status === PENDING ? this.#action : null;
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
    // The request goes out at once, runner or not.
    const done = run();
    const loading = ACTION_RUNNER.load();
    if (loading) {
      void done.catch(() => undefined);
      this.#waiting++;
      this.#host.requestUpdate();
      await (this.#arriving = loading.catch(() => undefined));
      this.#arriving = undefined;
      this.#waiting--;
    }
    const Runner = ACTION_RUNNER.value;
    // A run that a newer one replaced while the runner was on its way is dropped, as the Task drops it.
    if (Runner && seq === this.#seq) {
      await (this.#task ??= new Runner(this.#host, { autoRun: false, task: ([task]) => task() })).run([() => done]);
    } else {
      this.#host.requestUpdate();
      await done.catch(() => undefined);
    }
    return result;
  }
}
