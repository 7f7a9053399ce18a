// Editor check in a real browser (issue #3): every node of this package, installed into a real
// n8n like a community package, is added from the node creator and its parameter panel is
// stepped through every resource and operation in Debian's Chromium. A combination fails when a
// parameter its description shows has no rendered input, the panel shows a parameter the
// description hides, a dropdown lists other options than the description, an issue marker or
// error text appears, or the browser logs an error.
//
// Every field of every collection and fixed collection is also added once per node and checked
// the same way, including that dropdowns show an option name rather than a raw value.
//
// Run: npm run build && node --test test/e2e/editor.test.mjs
//   EDITOR_E2E_FIELDS=0        skip adding collection fields (about half the run time)
//   EDITOR_E2E_N8N_URL=<url>   check an n8n already running with the package (owner from
//                              scripts/lib/n8n.mjs), instead of starting one
// Needs Debian's chromium (/usr/bin/chromium, or CHROMIUM_PATH).
// Screenshots: screenshots/editor/<node>/<resource>-<operation>[-<more>].png (the panel as first
// shown) and ….expanded.png (all collection fields added; the window grows to fit the list).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { N8nClient, OWNER, startN8n } from '../../scripts/lib/n8n.mjs';
import { ROOT } from '../../scripts/lib/runtime.mjs';
import { launchBrowser, networkNoise, watchConsole } from './editor/browser.mjs';
import { Editor } from './editor/editor.mjs';
import { KNOWN_FINDINGS } from './editor/known-findings.mjs';
import { packageNodes } from './editor/package-nodes.mjs';

const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const SHOTS = path.join(ROOT, 'screenshots', 'editor');
const NODES = await packageNodes(ROOT);
const log = (message) => process.stderr.write(`[editor] ${message}\n`);
const ADD_FIELDS = process.env.EDITOR_E2E_FIELDS !== '0';
const slug = (text) =>
	String(text)
		.replace(/[^a-z0-9]+/gi, '-')
		.replace(/^-|-$/g, '')
		.toLowerCase();

/**
 * Problems with what the dropdown at `path` (a parameter path or a RegExp for one) shows, for a
 * field with a fixed list of options: its value's option name (with `exact`), or at least one of
 * the option names, never a raw value.
 */
function dropdownShows(texts, path, field, exact = true) {
	if (!('value' in field)) return [];
	const found = Object.entries(texts).filter(([p]) =>
		typeof path === 'string' ? p === path : path.test(p),
	);
	if (!found.length) return [];
	const out = [];
	for (const [, text] of found) {
		if (field.shows === undefined)
			out.push(
				`"${field.displayName}" defaults to ${JSON.stringify(field.value)}, none of its options; the dropdown shows "${text}"`,
			);
		else if (exact ? text !== field.shows : !field.names.includes(text))
			out.push(`"${field.displayName}" shows "${text}" instead of "${field.shows}"`);
	}
	return out;
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

const run = { started: Date.now() };
/** Combinations that ran, and known findings that showed up (to spot stale entries). */
const ran = new Set();
const seenKnown = new Set();

before(
	async () => {
		assert.ok(NODES.length > 0, 'package.json n8n.nodes declares no node');
		fs.rmSync(SHOTS, { recursive: true, force: true });
		if (process.env.EDITOR_E2E_N8N_URL) {
			// Debugging aid: check an n8n that is already running (with this package installed).
			run.n8n = {
				url: process.env.EDITOR_E2E_N8N_URL.replace(/\/$/, ''),
				logs: () => '',
				stop: async () => {},
			};
		} else {
			run.userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-editor-e2e-'));
			run.n8n = await startN8n({
				userFolder: run.userFolder,
				port: await freePort(),
				// The task broker's fixed default port (5679) would clash with another n8n running
				// beside this one (other e2e tests, a demo).
				env: {
					N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
					N8N_LOG_LEVEL: 'warn',
					N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				},
			});
		}
		await new N8nClient(run.n8n.url).setupOwner();
		run.browser = await launchBrowser({ viewport: { width: 1600, height: 1000 } });
		run.page = run.browser.page;
		run.page.setDefaultTimeout(15_000);
		run.watch = watchConsole(run.page, { baseUrl: run.n8n.url, noise: networkNoise(PACKAGE.name) });
		run.editor = new Editor(run.page, run.n8n.url);
		await run.editor.dismissOverlays();
		run.watch.state.phase = 'sign-in';
		await run.editor.signIn(OWNER);
		run.watch.state.loggedIn = true;
		log(`signed in after ${((Date.now() - run.started) / 1000).toFixed(1)} s`);
	},
	{ timeout: 600_000 },
);

after(async () => {
	if (run.watch?.allowed.length) {
		const counts = {};
		for (const a of run.watch.allowed)
			counts[`${a.why} (${a.url})`] = (counts[`${a.why} (${a.url})`] ?? 0) + 1;
		log(`console errors let through as offline noise: ${JSON.stringify(counts)}`);
	}
	if (run.watch?.warnings.length) {
		const distinct = [...new Set(run.watch.warnings.map((w) => w.text.slice(0, 300)))];
		log(
			`${run.watch.warnings.length} console warnings (not failing), ${distinct.length} distinct:\n  ${distinct.slice(0, 20).join('\n  ')}`,
		);
	}
	await run.browser?.close();
	await run.n8n?.stop();
	if (run.userFolder) fs.rmSync(run.userFolder, { recursive: true, force: true });
	log(
		`done in ${((Date.now() - run.started) / 1000).toFixed(1)} s; screenshots in ${path.relative(ROOT, SHOTS)}/`,
	);
});

test('n8n loaded the package without errors', () => {
	const lines = run.n8n
		.logs()
		.split('\n')
		.filter((line) => line.includes(PACKAGE.name) && /error|fail|could not|cannot/i.test(line));
	assert.deepEqual(lines, [], 'n8n logged problems about the package');
});

test('the sign-in page and the editor load without browser errors', () => {
	assert.deepEqual(
		run.watch.problems.filter((p) => p.phase === 'sign-in'),
		[],
	);
});

for (const node of NODES) {
	const combinations = node.combinations();
	const firstAction = combinations[0]?.steps.find((step) => step.action)?.action;
	const nodeShots = path.join(SHOTS, slug(node.description.name));
	// A collection defined the same way for several combinations (the node-wide Options, shared
	// filters) renders the same way: its fields are added once per node.
	const expandedOnce = new Set();
	// Dropdown lists already compared with the description, by parameter and the values before it.
	const listsChecked = new Set();

	describe(`${node.displayName} (${node.type})`, () => {
		before(async () => {
			run.watch.state.phase = `${node.displayName}: add node`;
			await run.editor.newWorkflow();
			await run.editor.addNode(node, firstAction);
		});

		test('is added from the node creator without browser errors', () => {
			assert.deepEqual(
				run.watch.problems.filter((p) => p.phase === `${node.displayName}: add node`),
				[],
			);
		});

		for (const combination of combinations) {
			const { steps, values } = combination;
			const title =
				steps
					.map((step, i) =>
						i < 2 && /^(resource|operation)$/.test(step.name)
							? step.option
							: `${step.label}: ${step.option}`,
					)
					.join(' → ') || 'parameters';
			const shotName = steps.map((step) => slug(step.value)).join('-') || 'parameters';

			test(title, async (t) => {
				const editor = run.editor;
				const watch = run.watch;
				const mark = watch.problems.length;
				watch.state.phase = `${node.displayName}: ${title}`;
				const failures = [];

				let expanded = false;
				try {
					// Step to the combination through the dropdowns; each list is compared with the
					// description once.
					for (const [index, step] of steps.entries()) {
						const before = Object.fromEntries(steps.slice(0, index).map((s) => [s.name, s.value]));
						const key = `${step.name}:${JSON.stringify(before)}`;
						if (listsChecked.has(key) && (await editor.optionValue(step.name)) === step.option)
							continue;
						const listed = await editor.selectOption(step.name, step.option);
						listsChecked.add(key);
						const wanted = node.optionNames(step.name, before);
						// n8n adds "Custom API Call" to Resource and Operation of nodes with credentials.
						const ours = /^(resource|operation)$/.test(step.name)
							? listed.filter((name) => name !== 'Custom API Call')
							: listed;
						if (JSON.stringify(ours) !== JSON.stringify(wanted))
							failures.push(
								`${step.label} lists ${JSON.stringify(listed)}, the description ${JSON.stringify(wanted)}`,
							);
					}

					// The panel as first shown.
					const expected = node.expectedParameters(values);
					await editor.waitForLabels(expected.filter((p) => !p.textOnly).map((p) => p.displayName));
					await editor.settleCodeEditors();
					const shown = await editor.inspect();
					const topLevel = shown.parameters.filter((p) => !p.nested);
					for (const parameter of expected) {
						if (parameter.textOnly) {
							if (!shown.text.includes(parameter.displayName))
								failures.push(`${parameter.type} "${parameter.displayName}" is not shown`);
							continue;
						}
						const matches = topLevel.filter((p) => p.label === parameter.displayName);
						if (!matches.length)
							failures.push(
								`parameter "${parameter.displayName}" (${parameter.name}, ${parameter.type}) has no label in the panel`,
							);
						else if (!matches.some((p) => p.inputs > 0))
							failures.push(
								`parameter "${parameter.displayName}" (${parameter.name}, ${parameter.type}) has a label but no input`,
							);
					}
					const wantedLabels = new Set(expected.map((p) => p.displayName));
					for (const p of topLevel) {
						if (!wantedLabels.has(p.label))
							failures.push(
								`panel shows "${p.label}" (${p.for}), which the description hides here`,
							);
					}
					const texts = await editor.dropdownTexts();
					for (const p of expected)
						failures.push(...dropdownShows(texts, `parameters.${p.name}`, p));
					if (node.expectsCredentials(values) && !shown.credentials)
						failures.push('no credential selector is shown');
					for (const text of editor.errorText(shown))
						failures.push(`error text in the panel: ${text}`);
					for (const issue of await editor.renderIssues(shown)) failures.push(issue);
					await editor.screenshot(path.join(nodeShots, `${shotName}.png`));

					// Every field of every collection and fixed collection, added one by one.
					for (const parameter of ADD_FIELDS ? expected : []) {
						if (!parameter.children?.length) continue;
						const key = `${parameter.name}:${JSON.stringify(parameter.children)}`;
						if (expandedOnce.has(key)) continue;
						expandedOnce.add(key);
						const item = topLevel.find((p) => p.label === parameter.displayName);
						if (!item) continue;
						expanded = true;
						if (parameter.type === 'collection') {
							const { listed, present, broken, rendered } = await editor.expandCollection(
								item.scope,
								parameter.children,
							);
							const wanted = parameter.children.map((c) => c.displayName);
							const offered = new Set([...listed, ...present]);
							const missing = wanted.filter((w) => !offered.has(w));
							const extra = listed.filter((l) => !wanted.includes(l));
							const notShown = wanted.filter(
								(w) => offered.has(w) && !rendered.includes(w) && !broken.includes(w),
							);
							if (missing.length)
								failures.push(
									`"${parameter.displayName}" does not offer ${JSON.stringify(missing)}`,
								);
							if (extra.length)
								failures.push(
									`"${parameter.displayName}" offers ${JSON.stringify(extra)}, not in the description`,
								);
							for (const b of broken)
								failures.push(`"${parameter.displayName}" → "${b}" rendered no input`);
							for (const n of notShown)
								failures.push(`"${parameter.displayName}" → "${n}" did not appear after adding it`);
						} else {
							const { broken } = await editor.expandFixedCollection(item.scope, parameter.children);
							for (const b of broken)
								failures.push(`"${parameter.displayName}" → ${b} rendered no input`);
						}
					}
					if (expanded) {
						await editor.settleCodeEditors();
						const full = await editor.inspect();
						const texts = await editor.dropdownTexts();
						for (const parameter of expected) {
							for (const child of parameter.children ?? []) {
								if (parameter.type === 'collection')
									failures.push(
										...dropdownShows(texts, `parameters.${parameter.name}.${child.name}`, child),
									);
								else
									for (const value of child.values)
										failures.push(
											...dropdownShows(
												texts,
												new RegExp(
													`^parameters\\.${parameter.name}\\.${child.name}(\\[\\d+\\])?\\.${value.name}$`,
												),
												value,
												false,
											),
										);
							}
						}
						for (const text of editor.errorText(full))
							failures.push(`error text with all fields added: ${text}`);
						for (const issue of await editor.renderIssues(full))
							failures.push(`with all fields added, ${issue}`);
						await editor.screenshot(path.join(nodeShots, `${shotName}.expanded.png`), {
							full: true,
						});
					}
				} catch (error) {
					failures.push(`the check could not finish: ${String(error.message).split('\n')[0]}`);
				} finally {
					// Leave the panel as the next combination expects it.
					if (expanded) await editor.clearCollections().catch(() => {});
				}

				for (const toast of await editor.toasts())
					if (toast.error) failures.push(`error toast: ${toast.text}`);
				for (const problem of watch.since(mark))
					failures.push(
						`browser ${problem.kind}: ${problem.text}${problem.url ? ` (${problem.url})` : ''}`,
					);
				ran.add(`${node.description.name}|${title}`);
				const known = failures.filter((f) =>
					KNOWN_FINDINGS.some(
						(k) => k.node === node.description.name && k.combination === title && k.finding === f,
					),
				);
				const fresh = failures.filter((f) => !known.includes(f));
				for (const f of known) {
					seenKnown.add(`${node.description.name}|${title}|${f}`);
					t.diagnostic(`known finding (test/e2e/editor/known-findings.mjs): ${f}`);
				}
				for (const f of fresh) t.diagnostic(f);
				assert.deepEqual(fresh, [], `${node.displayName} ${title} does not render cleanly`);
			});
		}
	});
}

test(
	'every known finding still occurs (remove fixed ones from known-findings.mjs)',
	{ skip: !ADD_FIELDS && 'collection fields not added' },
	() => {
		const stale = KNOWN_FINDINGS.filter(
			(k) =>
				ran.has(`${k.node}|${k.combination}`) &&
				!seenKnown.has(`${k.node}|${k.combination}|${k.finding}`),
		);
		assert.deepEqual(stale, []);
	},
);
