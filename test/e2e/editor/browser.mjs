// Debian's Chromium driven by playwright-core (no browser download), with every console error and
// page error collected. Only noise caused by the closed network is let through, by a narrow list.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// No internet here: without these Chromium floods the log with failed background requests.
const ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Launches Chromium with a fresh profile; `close()` also removes the profile. */
export async function launchBrowser({ viewport = { width: 1600, height: 1000 } } = {}) {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(
			`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`,
		);
	}
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-editor-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		args: ARGS,
		headless: true,
		viewport,
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	// No CSS transitions or animations: dropdowns and panels then open and close at once (Vue's
	// <Transition> finishes immediately when there is no duration), which saves seconds per
	// combination and does not change what is rendered.
	await context.addInitScript(() => {
		const style = document.createElement('style');
		style.textContent =
			'*, *::before, *::after { transition-duration: 0s !important; transition-delay: 0s !important; animation-duration: 0s !important; animation-delay: 0s !important; }';
		document.addEventListener('DOMContentLoaded', () => document.head.appendChild(style), {
			once: true,
		});
	});
	const page = context.pages()[0] ?? (await context.newPage());
	return {
		context,
		page,
		close: async () => {
			await context.close().catch(() => {});
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

/**
 * Requests the editor makes to the internet, which fail offline: a host and optional path, and
 * why the editor asks. Only what was seen failing here is listed; anything else fails the test.
 */
export function networkNoise(packageName) {
	return [
		// The node creator and the node panel's community-node tab fetch the package's npm
		// metadata (description, version, downloads) straight from the browser.
		{ host: 'registry.npmjs.org', path: `/${packageName}`, why: 'community package metadata' },
	];
}

/**
 * Collects console errors and page errors of `page`, except failed requests to the `noise`
 * hosts. `state.phase` names the current step (recorded with each problem); `state.loggedIn`
 * ends the sign-in allowance.
 */
export function watchConsole(page, { baseUrl, noise }) {
	const problems = [];
	const allowed = [];
	const warnings = [];
	const state = { phase: 'start', loggedIn: false };
	const external = (url) => {
		try {
			const u = new URL(url);
			if (u.origin === new URL(baseUrl).origin) return undefined;
			return noise.find(
				(n) =>
					u.hostname === n.host &&
					(!n.path || u.pathname === n.path || u.pathname.startsWith(`${n.path}/`)),
			);
		} catch {
			return undefined;
		}
	};
	page.on('console', (message) => {
		if (message.type() === 'warning') warnings.push({ phase: state.phase, text: message.text() });
		if (message.type() !== 'error') return;
		const text = message.text();
		const url = message.location()?.url ?? '';
		const entry = { phase: state.phase, text, url };
		// A failed request to one of the listed internet hosts (offline): Chromium logs it as
		// "Failed to load resource: net::ERR_…".
		const noiseHost = external(url);
		if (noiseHost && /^Failed to load resource: net::ERR_/.test(text)) {
			allowed.push({ ...entry, why: noiseHost.why });
			return;
		}
		// Before signing in the editor asks GET /rest/login whether a session exists; the
		// answer 401 means "no" and Chromium logs it as a failed resource.
		if (!state.loggedIn && url === `${baseUrl}/rest/login` && /status of 401/.test(text)) {
			allowed.push({ ...entry, why: 'session check before sign-in' });
			return;
		}
		problems.push({ kind: 'console.error', ...entry });
	});
	page.on('pageerror', (error) => {
		problems.push({
			kind: 'pageerror',
			phase: state.phase,
			text: `${error.name}: ${error.message}`,
			stack: error.stack,
		});
	});
	page.on('crash', () =>
		problems.push({ kind: 'crash', phase: state.phase, text: 'page crashed' }),
	);
	return {
		state,
		problems,
		allowed,
		warnings,
		/** Problems recorded since `mark` (an index from `problems.length`). */
		since: (mark) => problems.slice(mark),
	};
}
