import { expect } from 'chai';
import { version } from 'react';

/**
 * The React major these tests must run on. The `react-18` group of
 * web-test-runner.config.mjs serves React 18 through an import map and says so in
 * `__WAC_EXPECTED_REACT__`; otherwise it is the workspace's React 19.
 */
export const expectedReactMajor: string = (globalThis as { __WAC_EXPECTED_REACT__?: string }).__WAC_EXPECTED_REACT__ ?? '19';

/**
 * Declares the test that proves the page runs the React it claims: `React.version` has the
 * expected major, and every React bundle the page fetched is that React's (an `-18` alias
 * bundle in the React 18 run, none in the React 19 run), so the wrapper and the tests
 * cannot silently share a second React.
 */
export function itRunsOnTheExpectedReact(): void {
  it(`runs on React ${expectedReactMajor}, and only on it`, () => {
    expect(version.startsWith(`${expectedReactMajor}.`), `React ${version}`).to.equal(true);
    const reactBundles = performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname)
      .filter((path) => path.startsWith('/__prebundled__/react'));
    expect(reactBundles, 'React bundles fetched').to.not.be.empty;
    const aliased = reactBundles.filter((path) => /^\/__prebundled__\/react(?:-dom)?-18(?:%2F|\.js)/.test(path));
    expect(aliased, `React bundles fetched: ${reactBundles.join(', ')}`).to.deep.equal(expectedReactMajor === '18' ? reactBundles : []);
  });
}
