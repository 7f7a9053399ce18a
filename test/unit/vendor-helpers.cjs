'use strict';
// What every vendor's node tests share: a stored credential for a fake, `run()` driving the
// node through n8n's engine, list searches, and small assertions.
const assert = require('node:assert/strict');
const h = require('../harness/index.cjs');

/**
 * A credential store holding one credential of `credentialType`, and `run(parameters, options)`
 * running node `type` with it (Options → Max Retries 3 unless given).
 */
function vendorSetup({ type, credentialType, credentialId, data }) {
	const store = new h.CredentialStore();
	const credential = store.add(credentialId, credentialType, data);
	const helper = new h.TestCredentialsHelper(store);
	const credentials = { [credentialType]: credential };
	const run = (parameters, options = {}) =>
		h.runNode({
			type,
			parameters: { ...parameters, options: { maxRetries: 3, ...(parameters.options ?? {}) } },
			credentials,
			credentialsHelper: helper,
			...options,
		});
	run.listSearch = (options) => h.listSearch({ type, credentials, credentialsHelper: helper, ...options });
	return { store, credential, helper, run };
}

/** A resource locator value in "By ID" mode. */
const rl = (value) => ({ __rl: true, mode: 'id', value });

/** Asserts a successful run and answers the output JSON. */
function ok(result) {
	assert.equal(result.error?.message, undefined, `run failed: ${result.error?.message} ${result.error?.description ?? ''}`);
	assert.equal(result.status, 'success');
	return result.items.map((i) => i.json);
}

module.exports = { vendorSetup, rl, ok, h };
