#!/usr/bin/env node
// Checks the relative links of the repository's Markdown: every `[text](target)`,
// `[text]: target` reference and `<a href>` / `<img src>` in README.md, docs/**/*.md,
// packages/*/README.md and examples/**/README.md must point at an existing file or
// directory, and every `#anchor` at a heading (GitHub's slug rules) or an explicit
// `id`/`name` anchor of the target Markdown file. External links (http:, mailto:…)
// are not fetched. Exits 1 listing the broken links as `file:line: target — reason`.
//
//   node scripts/check-docs.mjs            # check
//   node scripts/check-docs.mjs --verbose  # also list the files checked
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const verbose = process.argv.includes('--verbose');

/** Markdown files under `dir` (recursively), skipping dependencies and build output. */
function markdownUnder(dir, { recursive, only } = {}) {
  const absolute = join(root, dir);
  if (!existsSync(absolute)) return [];
  const found = [];
  for (const entry of readdirSync(absolute, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!recursive || ['node_modules', 'dist', 'api', 'coverage', '.git'].includes(entry.name)) continue;
      found.push(...markdownUnder(path, { recursive, only }));
    } else if (entry.isFile() && entry.name.endsWith('.md') && (!only || entry.name === only)) {
      found.push(path);
    }
  }
  return found;
}

function filesToCheck() {
  const files = new Set();
  if (existsSync(join(root, 'README.md'))) files.add('README.md');
  for (const file of markdownUnder('docs', { recursive: true })) files.add(file);
  for (const pkg of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    if (!pkg.isDirectory()) continue;
    const readme = join('packages', pkg.name, 'README.md');
    if (existsSync(join(root, readme))) files.add(readme);
  }
  for (const file of markdownUnder('examples', { recursive: true, only: 'README.md' })) files.add(file);
  return [...files].sort();
}

/** The text with fenced code blocks and inline code blanked out (line numbers kept). */
function withoutCode(text) {
  const lines = text.split('\n');
  let fence = null;
  return lines
    .map((line) => {
      const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
      if (fence) {
        const closer = /^\s{0,3}(`{3,}|~{3,})\s*$/.exec(line);
        if (closer && closer[1][0] === fence[0] && closer[1].length >= fence.length) fence = null;
        return '';
      }
      if (opener) {
        fence = opener[1];
        return '';
      }
      return line.replace(/(`+)(?:(?!\1).)+?\1/g, (code) => ' '.repeat(code.length));
    })
    .join('\n');
}

/** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading) {
  return heading
    .trim()
    .replace(/<[^>]+>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const anchorCache = new Map();

/** Every anchor a Markdown file offers: heading slugs (deduplicated GitHub-style) and explicit ids. */
function anchorsOf(file) {
  if (anchorCache.has(file)) return anchorCache.get(file);
  const anchors = new Set();
  const counts = new Map();
  const raw = readFileSync(file, 'utf8').split('\n');
  const outsideCode = withoutCode(raw.join('\n')).split('\n');
  raw.forEach((line, index) => {
    // Headings are read from the raw line (their inline code counts), but only outside fences.
    const heading = outsideCode[index] === '' ? null : /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1]);
      const seen = counts.get(base) ?? 0;
      anchors.add(seen === 0 ? base : `${base}-${seen}`);
      counts.set(base, seen + 1);
    }
    for (const match of outsideCode[index].matchAll(/<[a-z]+[^>]*\s(?:id|name)=["']([^"']+)["']/gi)) anchors.add(match[1]);
  });
  anchorCache.set(file, anchors);
  return anchors;
}

/** `{ line, target }` for every link in a Markdown file. */
function linksOf(text) {
  const links = [];
  const lines = withoutCode(text).split('\n');
  lines.forEach((line, index) => {
    const add = (target) => links.push({ line: index + 1, target: target.trim() });
    // [text](target "title") and ![alt](target); targets may be wrapped in <…>.
    for (const match of line.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+["'(][^)]*)?\)/g)) {
      add(match[1].replace(/^<|>$/g, ''));
    }
    // [label]: target (reference definitions)
    const definition = /^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/.exec(line);
    if (definition) add(definition[1].replace(/^<|>$/g, ''));
    for (const match of line.matchAll(/<(?:a|img)\s[^>]*(?:href|src)=["']([^"']+)["']/gi)) add(match[1]);
  });
  return links;
}

function check(file) {
  const problems = [];
  const absolute = join(root, file);
  for (const { line, target } of linksOf(readFileSync(absolute, 'utf8'))) {
    if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
    const hashAt = target.indexOf('#');
    const pathPart = decodeURIComponent(hashAt === -1 ? target : target.slice(0, hashAt)).split('?')[0];
    const anchor = hashAt === -1 ? null : decodeURIComponent(target.slice(hashAt + 1));
    const where = `${file}:${line}: ${target}`;
    if (pathPart.startsWith('/')) {
      problems.push(`${where} — absolute path; use a relative link`);
      continue;
    }
    const resolved = pathPart === '' ? absolute : resolve(dirname(absolute), pathPart);
    if (!resolved.startsWith(root + sep) && resolved !== root) {
      problems.push(`${where} — points outside the repository`);
      continue;
    }
    if (!existsSync(resolved)) {
      problems.push(`${where} — no such file or directory (${relative(root, resolved)})`);
      continue;
    }
    if (anchor === null || anchor === '') continue;
    if (statSync(resolved).isDirectory()) {
      problems.push(`${where} — an anchor on a directory`);
      continue;
    }
    if (!resolved.endsWith('.md')) {
      // Line anchors (#L10) on source files are GitHub's; anything else cannot be checked.
      if (!/^L\d+(-L\d+)?$/.test(anchor)) problems.push(`${where} — an anchor on a non-Markdown file`);
      continue;
    }
    if (!anchorsOf(resolved).has(anchor)) {
      problems.push(`${where} — no heading "#${anchor}" in ${relative(root, resolved)}`);
    }
  }
  return problems;
}

const files = filesToCheck();
const problems = files.flatMap(check);
if (verbose) for (const file of files) console.log(`checked ${file}`);
if (problems.length > 0) {
  console.error(`check-docs: ${problems.length} broken link(s) in ${files.length} Markdown files:`);
  for (const problem of problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(`check-docs: ${files.length} Markdown files, every relative link and anchor resolves.`);
