'use strict';
// Loads n8n-core with a throw-away user folder: n8n-core reads N8N_USER_FOLDER when it is
// first required and would otherwise write ~/.n8n/config with a new encryption key.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-test-home-'));
}
process.env.N8N_LOG_LEVEL ??= 'silent';

const core = require('n8n-core');
const workflow = require('n8n-workflow');
const { Container } = require('@n8n/di');
const { Logger } = require('@n8n/backend-common');

/** Every log line n8n-core or a node writes, for tests that scan logs for secrets. */
const logLines = [];
const captureLogger = {
	error: (message, meta) => logLines.push({ level: 'error', message, meta }),
	warn: (message, meta) => logLines.push({ level: 'warn', message, meta }),
	info: (message, meta) => logLines.push({ level: 'info', message, meta }),
	debug: (message, meta) => logLines.push({ level: 'debug', message, meta }),
	scoped() {
		return captureLogger;
	},
};
Container.set(Logger, captureLogger);

module.exports = { core, workflow, Container, logLines };
