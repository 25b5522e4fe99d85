import { expect } from 'chai';

interface CspResult {
  readonly qrDrawn: boolean;
  readonly styled: boolean;
  readonly phone: string;
  readonly violationsBeforeProbe: string[];
  readonly inlineRan: boolean;
  readonly probeViolations: string[];
}

describe('<whatsapp-connector> under a strict Content-Security-Policy', () => {
  let frame: HTMLIFrameElement | undefined;

  afterEach(() => frame?.remove());

  it('renders, styles and draws the QR with no policy violation', async () => {
    const answer = new Promise<{ result?: CspResult; error?: string; violations?: string[] }>((resolve) => {
      const listener = (event: MessageEvent) => {
        if (event.data?.type !== 'wac-csp-result') return;
        window.removeEventListener('message', listener);
        resolve(event.data);
      };
      window.addEventListener('message', listener);
    });
    frame = document.createElement('iframe');
    frame.src = new URL('./fixtures/csp.html', import.meta.url).href;
    document.body.append(frame);
    const data = await answer;
    expect(data.error, JSON.stringify(data.violations)).to.equal(undefined);
    const result = data.result!;
    expect(result.violationsBeforeProbe).to.deep.equal([]);
    expect(result.qrDrawn).to.equal(true);
    expect(result.styled).to.equal(true);
    expect(result.phone).to.contain('+52 1 55 1234 5678');
    // The policy is really in force: the deliberate inline script was blocked.
    expect(result.inlineRan).to.equal(false);
    expect(result.probeViolations.some((violation) => violation.startsWith('script-src'))).to.equal(true);
  });
});
