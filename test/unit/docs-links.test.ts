import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Every relative link in README.md and docs/*.md leads somewhere: the file exists, and an anchor
 * (`file.md#section`, or `#section` within the same file) names a heading of that Markdown file.
 * Links inside code (fenced blocks and `inline code`) are not links and are skipped; so are
 * absolute URLs.
 */

const ROOT = path.join(__dirname, '..', '..');
const DOCS = path.join(ROOT, 'docs');
const FILES = [path.join(ROOT, 'README.md'), ...readdirSync(DOCS).filter((f) => f.endsWith('.md')).map((f) => path.join(DOCS, f))];

/** The text outside fenced code blocks, with inline code spans blanked. */
function prose(markdown: string): string[] {
  const lines: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      lines.push('');
      continue;
    }
    lines.push(fenced ? '' : line.replace(/`[^`]*`/g, '``'));
  }
  return lines;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : line.match(/^#{1,6}\s+(.*?)\s*#*\s*$/);
    if (!heading) continue;
    const slug = (heading[1] ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

interface Link {
  file: string;
  line: number;
  target: string;
}

function linksOf(file: string): Link[] {
  const links: Link[] = [];
  prose(readFileSync(file, 'utf8')).forEach((text, i) => {
    for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = match[1] ?? '';
      if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …
      links.push({ file, line: i + 1, target });
    }
  });
  return links;
}

function brokenReason({ file, target }: Link): string | undefined {
  const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
  const resolved = pathPart === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(pathPart));
  if (!resolved.startsWith(ROOT + path.sep)) return 'leads outside the repository';
  if (!existsSync(resolved)) return 'no such file';
  if (anchor === undefined || anchor === '') return undefined;
  if (!resolved.endsWith('.md') || statSync(resolved).isDirectory()) return undefined;
  return anchorsOf(readFileSync(resolved, 'utf8')).has(anchor.toLowerCase()) ? undefined : `no heading for #${anchor}`;
}

test('README.md and docs/*.md have links to check', () => {
  expect(FILES.length).toBeGreaterThan(5);
  expect(FILES.flatMap(linksOf).length).toBeGreaterThan(20);
});

test('every relative link in README.md and docs/*.md resolves, anchors included', () => {
  const broken = FILES.flatMap(linksOf)
    .map((link) => ({ link, reason: brokenReason(link) }))
    .filter(({ reason }) => reason !== undefined)
    .map(({ link, reason }) => `${path.relative(ROOT, link.file)}:${link.line}: (${link.target}) ${reason}`);
  expect(broken).toEqual([]);
});

test('the anchor rule matches GitHub for the headings these docs use', () => {
  expect(anchorsOf('### See it run: `npm install && npm start`')).toEqual(new Set(['see-it-run-npm-install--npm-start']));
  expect(anchorsOf('## Chaos: exactly once under faults and crashes\n## Chaos: exactly once under faults and crashes')).toEqual(
    new Set(['chaos-exactly-once-under-faults-and-crashes', 'chaos-exactly-once-under-faults-and-crashes-1']),
  );
  expect(anchorsOf('```sh\n# not a heading\n```')).toEqual(new Set());
});
