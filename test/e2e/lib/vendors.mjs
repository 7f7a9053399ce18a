// What the end-to-end tests know per vendor, so a new vendor is one more entry (its own module),
// not a copy of the test files:
//
//   credentials: credential type → {
//       good?: [{ label, change(context) → fields to change }]  more accepted forms of the demo
//              credential's secrets (each must test OK, like the demo credential itself)
//       bad: [{ label, change(context) → fields to change, message: RegExp }],
//              (change may be async, e.g. to fetch a token from the fake)
//       testRequest: { method, path }  the call the credential's Test makes on the fake
//       tokenReuse?: { parameters of a read-only operation, tokenRequests(fakes), expireTokens(fakes),
//                      refusedStatus? (how the vendor refuses an expired token; 401) }
//                    for credentials that fetch and keep a token (preAuthentication)
//   }
//   examples: file in examples/ → {
//       outputNode: the node whose output is checked,
//       runs: [{ label, prepare?({ workflow, fakes }) → { workflow?, expect? }, check(context),
//                execute?({ instance, workflowId, fakes, expect }) → a finished execution
//                  ({ executionId, status, data }, as waitForExecution answers) instead of the
//                  run from the Manual Trigger: for trigger workflows (publish, deliver, unpublish)
//                comparable?: output is the same in two n8n instances with fresh fakes }]
//   }
//   triggers: node name (description.name) → async check({ stack, node, t })
//             (see package-in-n8n.test.mjs)
//
// Every node, credential and example the package ships must have an entry: the tests fail
// (instead of skipping) when one is missing.
import { connect } from './cloudblue.mjs';
import { newstore } from './newstore.mjs';
import { pax8 } from './pax8.mjs';

/** Keyed like the fakes (scripts/lib/fakes.mjs): `fakes[vendor]` is the vendor's fake. */
export const VENDORS = { pax8, connect, newstore };

function lookup(kind, key) {
	for (const [vendor, entry] of Object.entries(VENDORS)) {
		if (entry[kind]?.[key]) return { vendor, ...entry[kind][key] };
	}
	return undefined;
}

export const credentialSpec = (type) => lookup('credentials', type);
export const exampleSpec = (file) => lookup('examples', file);
export const triggerCheck = (nodeName) => {
	for (const entry of Object.values(VENDORS))
		if (entry.triggers?.[nodeName]) return entry.triggers[nodeName];
	return undefined;
};
