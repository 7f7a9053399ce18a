#!/usr/bin/env node
'use strict';
// Run after `npm install` changes package-lock.json. The npm registry reachable from our
// machines serves only the Linux builds of some platform-specific optional packages (e.g.
// @unrs/resolver-binding-*). npm then writes a lock in which a package lists optional
// dependencies that have no entry, and `npm ci` refuses it as "not in sync". This drops those
// dangling optional entries so that `npm ci` works on a fresh clone.
const fs = require('node:fs');
const path = require('node:path');

const file = path.resolve(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const present = new Set(Object.keys(lock.packages).filter(Boolean).map((key) => key.split('node_modules/').pop()));
let removed = 0;
for (const entry of Object.values(lock.packages)) {
	if (!entry.optionalDependencies) continue;
	for (const name of Object.keys(entry.optionalDependencies)) {
		if (!present.has(name)) {
			delete entry.optionalDependencies[name];
			removed++;
		}
	}
	if (Object.keys(entry.optionalDependencies).length === 0) delete entry.optionalDependencies;
}
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`prune-lock: removed ${removed} optional dependencies the registry does not serve`);
