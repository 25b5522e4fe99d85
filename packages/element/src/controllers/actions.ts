import { Task, TaskStatus } from '@lit/task';
import type { ReactiveControllerHost } from '@lit/reactive-element';
import { SessionError, type ActionResult, type SessionAction, type SessionClient, type SessionSnapshot } from '@whatsapp-connector/client';
import { emit, type WacActionName } from '../events.js';

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
 */
export class ActionController {
  readonly #host: Host;
  readonly #client: () => SessionClient | null | Promise<SessionClient | null>;
  readonly #phase: () => string;
  readonly #task: Task<[() => Promise<void>], void>;
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
    this.#task = new Task(host, { autoRun: false, task: ([run]) => run() });
  }

  /** The action this element is running, or `null`. */
  get running(): WacActionName | null {
    return this.#task.status === TaskStatus.PENDING ? this.#action : null;
  }

  /** The last action's error while the session is still in the phase it failed in, unless dismissed. */
  get error(): SessionError | null {
    const failure = this.#task.status === TaskStatus.ERROR && this.#task.error !== this.#dismissed ? (this.#task.error as Failure) : null;
    return failure?.phase === this.#phase() ? failure.error : null;
  }

  /** Hides the last action's error (the person moved on). */
  dismiss(): void {
    this.#dismissed = this.#task.error;
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
    emit(this.#host, 'wac-action', { action, stage: 'start' });
    let result!: R;
    await this.#task.run([
      async () => {
        result = await call(client);
        const error = failure(result);
        emit(this.#host, 'wac-action', error ? { action, stage: 'error', error } : { action, stage: 'success' });
        // Thrown, so the Task is in its error state; Task drops it if a newer run started.
        if (error && show && error.code !== 'aborted' && error.code !== 'busy') throw { error, phase: this.#phase() } satisfies Failure;
      },
    ]);
    return result;
  }
}
