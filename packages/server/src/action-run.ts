import type { SessionAnswerWire } from '@whatsapp-connector/client/contract';
import type { Clock } from './clock.js';

/** What {@link ActionRun.within} gives a request: the outcome, or the pending answer while the action goes on. */
export interface ActionAnswer {
  /** The answer to send. */
  answer: SessionAnswerWire;
  /** `true` when `answer` is the pending state and the action still runs. */
  pending: boolean;
}

/**
 * One action in flight. Real WAHA takes seconds per lifecycle call (stop ~3 s, unpair
 * ~1 s, WEBJS teardown up to 10 s), and `change_number` chains three of them; a request
 * waits for the outcome only so long, then answers the state the session is heading
 * for (the pending answer) while the action finishes.
 */
export class ActionRun {
  /** The action's own outcome (its final answer), whoever waits for it. */
  readonly outcome: Promise<SessionAnswerWire>;
  #pending: SessionAnswerWire | null = null;
  #markChanging!: () => void;
  readonly #changing = new Promise<void>((resolve) => {
    this.#markChanging = resolve;
  });
  #detached = false;

  /** Starts `work`, which calls {@link changing} right before it changes the session in WAHA. */
  constructor(work: (run: ActionRun) => Promise<SessionAnswerWire>) {
    this.outcome = work(this);
    // Requests that answered the pending state no longer wait for the outcome.
    this.outcome.catch(() => {});
  }

  /** The answer given while the action runs, once it has begun to change the session. */
  get pending(): SessionAnswerWire | null {
    return this.#pending;
  }

  /** The action is about to change the session in WAHA: `pending` is the state to answer meanwhile. */
  changing(pending: SessionAnswerWire): void {
    this.#pending = pending;
    this.#markChanging();
  }

  /**
   * `true` the first time it is called after a request answered the pending state, so
   * that whoever detaches the action (keeps it alive, watches its failure) does it once.
   */
  detach(): boolean {
    if (this.#detached) return false;
    this.#detached = true;
    return true;
  }

  /**
   * The outcome when it comes within `ms`; else the pending answer. While the action
   * only reads (it has not begun to change anything), it is waited for a little longer:
   * there is no pending state to tell yet, and reads are bounded by their own deadline.
   */
  within(ms: number, clock: Clock): Promise<ActionAnswer> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (finish: () => void): void => {
        if (settled) return;
        settled = true;
        clock.clearTimeout(timer);
        finish();
      };
      const timer = clock.setTimeout(() => {
        void this.#changing.then(() => settle(() => resolve({ answer: this.#pending!, pending: true })));
      }, ms);
      this.outcome.then(
        (answer) => settle(() => resolve({ answer, pending: false })),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }
}
