// Runs the ivms101 npm package's Zod schemas on each file named on the
// command line and prints one JSON array of verdicts. The schema follows the
// payload's declared edition, as the package's own ivms101_version() does:
// IVMS 101.2023 when payloadMetadata.payloadVersion is "101.2023", else 2020.
'use strict';
const fs = require('fs');
const { IVMS101_2023Schema } = require('ivms101');
const { IVMS101_2020Schema } = require('ivms101/legacy');

const verdicts = process.argv.slice(2).map((file) => {
  let data;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return { file, parsed: false, valid: false, issues: [String(e.message)] };
  }
  const v2023 = Boolean(data && data.payloadMetadata && data.payloadMetadata.payloadVersion === '101.2023');
  const result = (v2023 ? IVMS101_2023Schema : IVMS101_2020Schema).safeParse(data);
  return {
    file,
    parsed: true,
    edition: v2023 ? '101.2023' : '101',
    valid: result.success,
    issues: result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
  };
});
process.stdout.write(JSON.stringify(verdicts));
