// Finds one page of every kind in a built site (from the files and the lists' JSON
// downloads, not from hard-coded ids), and makes edited copies of the repository's site
// for fixtures (e.g. a smaller page size, or a publicity period across a holiday).
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, tempDir } from './lib.mjs';

/** Reads every list's JSON download in a built site: [{ id, stage, publicity, ... }]. */
export function listsOf(site) {
  const dir = join(site, 'lists');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, `${d.name}.json`)))
    .map((d) => JSON.parse(readFileSync(join(dir, d.name, `${d.name}.json`), 'utf8')))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * One URL path (relative to the site root, no leading slash) per kind of page, with a
 * name for messages. Throws when the site lacks a kind, so a test can never pass vacuously.
 */
export function pageKinds(site) {
  const lists = listsOf(site);
  const announced = lists.find((l) => l.stage === 'announced');
  const publicity = lists.find((l) => l.stage === 'publicity' && l.publicity);
  if (!announced || !publicity) throw new Error('the site needs an announced list and a list under publicity');
  const districts = readdirSync(join(site, 'districts'), { withFileTypes: true })
    .filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const withRows = districts.find((d) => !readFileSync(join(site, 'districts', d, 'index.html'), 'utf8').includes('目前公布的名单中没有'));
  const pages = [
    ['home', ''],
    ['notice', 'notices/innovative/2026/'],
    ['criteria', 'notices/innovative/2026/criteria/'],
    ['contacts', 'contacts/'],
    ['lists index', 'lists/'],
    ['announced list', `lists/${announced.id}/`],
    ['list under publicity', `lists/${publicity.id}/`],
    ['publicity page (open)', `lists/${publicity.id}/publicity/`],
    ['publicity page (after announcement)', `lists/${announced.id}/publicity/`],
    ['districts index', 'districts/'],
    ['district page', `districts/${encodeURIComponent(withRows || districts[0])}/`],
    ['search', 'search/'],
    ['404', '404.html'],
    ['enterprise directory', 'enterprises/'],
  ];
  // An enterprise's page: the first of the directory's download (every site with a list
  // has one).
  const directory = JSON.parse(readFileSync(join(site, 'enterprises', 'directory.json'), 'utf8'));
  if (!directory.enterprises.length) throw new Error('the site has no enterprise in its directory');
  pages.push(['enterprise page', `enterprises/${directory.enterprises[0].credit_code}/`]);
  // Second pages exist only when a list is longer than the page size.
  for (const l of lists) {
    if (existsSync(join(site, 'lists', l.id, 'page', '2', 'index.html'))) {
      pages.push(['list page 2', `lists/${l.id}/page/2/`]);
      break;
    }
  }
  return pages.map(([name, path]) => ({ name, path }));
}

/**
 * Copies the repository's site sources (content, data, themes) into a temporary root and
 * applies `edits`: { 'relative/path': (text) => newText }. Returns the new root.
 */
export function fixtureRoot(edits = {}) {
  const root = tempDir('gazette-fixture-');
  for (const d of ['content', 'data', 'themes']) cpSync(join(REPO, d), join(root, d), { recursive: true });
  for (const [rel, edit] of Object.entries(edits)) {
    const file = join(root, rel);
    const before = readFileSync(file, 'utf8');
    const after = edit(before);
    if (after === before) throw new Error(`fixture edit changed nothing in ${rel}`);
    writeFileSync(file, after);
  }
  return root;
}
