// Validate scenario files as VS Code's YAML extension does, and show a key's hover text.
//
// The extension's language server (yaml-language-server) reads each file's first line,
// `# yaml-language-server: $schema=...`, and validates against that schema (draft-07).
// tests/test_schema.py checks the same files with check-jsonschema; this is the editor's view.
//
//   npm install --prefix /tmp/yls yaml-language-server@1 vscode-languageserver-textdocument
//   NODE_PATH=/tmp/yls/node_modules node tools/check_schema_vscode.js scenarios/*.yaml
//   HOVER=LINE:COLUMN NODE_PATH=... node tools/check_schema_vscode.js FILE   (prints the hover text too)
//
// Exit code 1 when any file has a problem.
const fs = require('fs');
const path = require('path');
const { pathToFileURL, fileURLToPath } = require('url');
const { getLanguageService } = require('yaml-language-server/lib/umd/languageservice/yamlLanguageService');
const { TextDocument } = require('vscode-languageserver-textdocument');

const ls = getLanguageService({
  schemaRequestService: (uri) => Promise.resolve(fs.readFileSync(fileURLToPath(uri), 'utf8')),
  workspaceContext: { resolveRelativePath: (rel, resource) => new URL(rel, resource).toString() },
});
ls.configure({ validate: true, hover: true, completion: true, yamlVersion: '1.2' });

(async () => {
  let bad = 0;
  for (const file of process.argv.slice(2)) {
    const uri = pathToFileURL(path.resolve(file)).toString();
    const doc = TextDocument.create(uri, 'yaml', 1, fs.readFileSync(file, 'utf8'));
    const diags = await ls.doValidation(doc, false);
    const errors = diags.filter((d) => d.severity === 1 || d.severity === 2);
    console.log(`${file}: ${errors.length} problem(s)`);
    for (const d of errors) console.log(`  ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
    if (errors.length) bad++;
    if (process.env.HOVER) {
      const [line, ch] = process.env.HOVER.split(':').map(Number);
      const hover = await ls.doHover(doc, { line: line - 1, character: ch - 1 });
      console.log('  hover:', JSON.stringify(hover && hover.contents));
    }
  }
  process.exit(bad ? 1 : 0);
})();
