// Generates the TypeScript client (app/src/client) from the program's Anchor IDL (idl/) with
// Codama, so account layouts and instruction builders have one source of truth: the program.
//   npm run generate          rewrite app/src/client
//   npm run verify            fail if app/src/client is not what the IDL generates, then type-check
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rootNodeFromAnchor } from '@codama/nodes-from-anchor';
import { renderVisitor } from '@codama/renderers-js';
import { createFromRoot, definedTypeNode } from 'codama';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const idl = JSON.parse(readFileSync(join(app, '../idl/proof_of_brain.json'), 'utf8'));
const client = join(app, 'src/client');
const check = process.argv.includes('--check');

function files(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

const out = check ? mkdtempSync(join(tmpdir(), 'pob-client-')) : client;
// The renderer writes the files itself and formats them with Prettier.
// The JS renderer renders no events, so each event's layout (its discriminator as a checked
// prefix, then its fields) is also given as a defined type: `getTaskClosedDecoder()` and the
// rest are generated like every account's decoder, for reading a closed task's history.
const root = rootNodeFromAnchor(idl);
const events = root.program.events.map((event) => definedTypeNode({ name: event.name, type: event.data }));
const program = { ...root.program, definedTypes: [...root.program.definedTypes, ...events] };
await createFromRoot({ ...root, program }).accept(renderVisitor(out, { deleteFolderBeforeRendering: true }));
if (check) {
  const expected = files(out);
  const actual = files(client);
  const stale = expected.filter(
    (file) => !actual.includes(file) || readFileSync(join(out, file), 'utf8') !== readFileSync(join(client, file), 'utf8'),
  );
  const extra = actual.filter((file) => !expected.includes(file));
  rmSync(out, { recursive: true, force: true });
  if (stale.length > 0 || extra.length > 0) {
    console.error(`app/src/client is stale (${[...stale, ...extra].join(', ')}): run \`npm run generate\` in app/ and commit`);
    process.exit(1);
  }
  console.log(`app/src/client matches idl/proof_of_brain.json (${expected.length} files)`);
} else {
  console.log(`wrote ${files(client).length} files to app/src/client`);
}
