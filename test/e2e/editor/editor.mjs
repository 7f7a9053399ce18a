// Drives n8n's editor (a Vue app) through the data-test-id attributes its own tests use.
import fs from 'node:fs';
import path from 'node:path';

const tid = (id) => `[data-test-id="${id}"]`;

/** Text in the parameter panel that means something failed to load or render. */
const ERROR_TEXT =
	/could ?n[o']t load|couldn't load|problem loading|error loading|failed to load|not currently installed|install this node|unrecognized node|node type .* not found|unknown node|something went wrong/i;

/** Issue texts that come from empty user input rather than from rendering the description. */
const INPUT_ISSUES = /is required/i;

export class Editor {
	constructor(page, baseUrl) {
		this.page = page;
		this.baseUrl = baseUrl;
		this.ndv = page.locator(tid('ndv'));
		this.params = this.ndv.locator(tid('node-parameters'));
	}

	/**
	 * Closes pop-ups n8n may show on first sign-in (surveys, "what's new", promotions) whenever
	 * one gets in the way of an action. The node panel is not one of them (it is a <dialog>).
	 */
	async dismissOverlays() {
		const page = this.page;
		const modal = page
			.locator('.el-overlay-dialog .el-dialog, .el-overlay .el-dialog')
			.filter({ visible: true });
		await page.addLocatorHandler(modal.first(), async (dialog) => {
			const close = dialog
				.locator('.el-dialog__headerbtn, [aria-label="Close"], [data-test-id$="close-button"]')
				.first();
			if (await close.isVisible().catch(() => false)) await close.click();
			else await page.keyboard.press('Escape');
		});
	}

	/** Signs in through the real sign-in page. */
	async signIn({ email, password }) {
		const page = this.page;
		await page.goto(`${this.baseUrl}/signin`);
		await page.locator(`${tid('emailOrLdapLoginId')} input`).fill(email);
		await page.locator(`${tid('password')} input`).fill(password);
		await Promise.all([
			page.waitForResponse(
				(r) => r.url() === `${this.baseUrl}/rest/login` && r.request().method() === 'POST',
			),
			page.locator(tid('form-submit-button')).click(),
		]).then(([response]) => {
			if (!response.ok()) throw new Error(`sign-in answered ${response.status()}`);
		});
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
	}

	/** A new, empty workflow in the editor. */
	async newWorkflow() {
		const page = this.page;
		await page.goto(`${this.baseUrl}/workflow/new`);
		await page.locator(tid('canvas')).waitFor({ timeout: 30_000 });
		await page.locator(tid('node-creator-plus-button')).waitFor();
	}

	/**
	 * Adds `node` from the node creator by searching its display name, as a user would. n8n lists
	 * a trigger under its app's name ("X Trigger" under "X"); a node with actions (operations,
	 * trigger events) opens their list, where the item of this node type named `action` (or else
	 * its first) is picked.
	 */
	async addNode(node, action) {
		const page = this.page;
		await page.locator(tid('node-creator-plus-button')).click();
		await page.locator(tid('node-creator-search-bar')).fill(node.displayName);
		const names = [node.displayName, node.displayName.replace(/ Trigger$/, '')];
		const items = page.locator(tid('item-iterator-item'));
		const named = (name) =>
			items.filter({
				has: page.locator(tid('node-creator-item-name')).getByText(name, { exact: true }),
			});
		// The search filters the list as it renders: wait for one of the names.
		await named(names[0])
			.or(named(names[1]))
			.first()
			.waitFor({ timeout: 15_000 })
			.catch(() => {});
		let item;
		for (const name of names) {
			if (await named(name).count()) {
				item = named(name).first();
				break;
			}
		}
		if (!item) {
			const seen = await page.locator(tid('node-creator-item-name')).allInnerTexts();
			throw new Error(
				`the node creator lists no ${[...new Set(names)].map((n) => `"${n}"`).join(' or ')} when searching "${node.displayName}"; it lists: ${seen.join(', ') || 'nothing'}`,
			);
		}
		await item.click();
		// Either the node panel opens (a node without actions) or the list of actions does.
		const ours = page.locator(
			`${tid('item-iterator-item')}[data-keyboard-nav-id^="${node.type}-"]`,
		);
		const collapsed = page.locator(
			`[data-category-collapsed="true"] ${tid('node-creator-category-item')}`,
		);
		await Promise.race([
			this.ndv.waitFor({ timeout: 15_000 }),
			page.locator(tid('node-creator-category-item')).first().waitFor({ timeout: 15_000 }),
		]);
		if (!(await this.ndv.isVisible())) {
			// Open collapsed categories (e.g. "Actions" when the app also has triggers) until this
			// node type's actions show.
			for (let i = 0; i < 10 && !(await ours.count()) && (await collapsed.count()); i++)
				await collapsed.first().click();
			if (!(await ours.count())) {
				const seen = await page.locator(tid('node-creator-item-name')).allInnerTexts();
				throw new Error(
					`no action of ${node.type} in the action list of "${node.displayName}"; it lists: ${seen.join(', ')}`,
				);
			}
			const wanted = action
				? ours.filter({
						has: page.locator(tid('node-creator-item-name')).getByText(action, { exact: true }),
					})
				: ours;
			await ((await wanted.count()) ? wanted : ours).first().click();
		}
		await this.params.waitFor({ timeout: 15_000 });
	}

	/** The options of the dropdown an element-plus select input controls (its listbox). */
	async openDropdown(combobox) {
		await combobox.click();
		const id = await combobox.getAttribute('aria-controls');
		if (!id) throw new Error('dropdown input has no aria-controls');
		const options = this.page.locator(`[id="${id}"] li[role="option"]`);
		await options.first().waitFor({ timeout: 10_000 });
		return options;
	}

	/**
	 * The dropdown input of top-level parameter `name` (by its parameter path: a field inside a
	 * collection can have the same name, e.g. Poll Times → Mode).
	 */
	topLevelInput(name) {
		return this.params
			.locator(`[data-parameter-path="parameters.${name}"] input[role="combobox"]`)
			.first();
	}

	/** Opens the dropdown of parameter `name`, answers the option names it lists, picks `option`. */
	async selectOption(name, option) {
		const input = this.topLevelInput(name);
		const options = await this.openDropdown(input);
		const listed = (await options.locator('.option-headline').allInnerTexts()).map((t) => t.trim());
		await options
			.filter({ has: this.page.locator('.option-headline').getByText(option, { exact: true }) })
			.first()
			.click();
		await options
			.first()
			.waitFor({ state: 'hidden', timeout: 5000 })
			.catch(() => {});
		await waitFor(
			async () => (await input.inputValue()) === option,
			10_000,
			() => new Error(`${name} did not change to "${option}"`),
		);
		return listed;
	}

	/** The current value shown by a dropdown parameter. */
	async optionValue(name) {
		return await this.topLevelInput(name).inputValue();
	}

	/** Waits until every label in `labels` is shown in the panel (or `timeoutMs` passes). */
	async waitForLabels(labels, timeoutMs = 5000) {
		await this.params
			.evaluate(
				(root, { wanted, timeout }) =>
					new Promise((resolve) => {
						const check = () => {
							const seen = new Set(
								[...root.querySelectorAll('[data-test-id="input-label"] label')]
									.filter((l) => l.checkVisibility())
									.map((l) =>
										l
											.querySelector('span')
											?.textContent.replace(/\*\s*$/, '')
											.trim(),
									),
							);
							return wanted.every((w) => seen.has(w));
						};
						if (check()) return resolve(true);
						const observer = new MutationObserver(() => {
							if (check()) {
								observer.disconnect();
								resolve(true);
							}
						});
						observer.observe(root, { subtree: true, childList: true, attributes: true });
						setTimeout(() => {
							observer.disconnect();
							resolve(false);
						}, timeout);
					}),
				{ wanted: labels, timeout: timeoutMs },
			)
			.catch(() => false);
		// Let Vue finish the render pass that produced the labels.
		await this.page.waitForTimeout(100);
	}

	/**
	 * What the Parameters tab shows: every visible label with whether an input was rendered for
	 * it, the issue markers, and any error text. `scope` (a data-e2e-scope value) limits it to
	 * one collection.
	 */
	async inspect(scope) {
		return await this.params.evaluate((root, scopeId) => {
			const base = scopeId ? root.querySelector(`[data-e2e-scope="${scopeId}"]`) : root;
			const visible = (el) => el.checkVisibility({ visibilityProperty: true });
			const INPUTS =
				'input:not([type="hidden"]), textarea, [contenteditable="true"], [role="switch"], [role="combobox"], button, .el-switch';
			const labelText = (label) =>
				label
					.querySelector('span')
					?.textContent.replace(/\*\s*$/, '')
					.trim() ?? label.textContent.trim();
			const labels = [...base.querySelectorAll('[data-test-id="input-label"] label')].filter(
				visible,
			);
			const parameters = labels.map((label, index) => {
				const container = label.closest('[data-test-id="input-label"]');
				const item = container.parentElement;
				// Inputs of this parameter: inside its item, not in a label (labels hold the
				// Fixed/Expression switch and the options menu), and not in a nested parameter.
				const inputs = [...item.querySelectorAll(INPUTS)].filter((el) => {
					if (!visible(el) || el.closest('label')) return false;
					const owner = el.closest(
						'[data-test-id="input-label"], .multi-parameter, .parameter-item',
					);
					return owner === container || owner === item;
				});
				// A stable handle on the item for later clicks (kept across inspections).
				if (!item.hasAttribute('data-e2e-scope')) {
					window.__e2eScope = (window.__e2eScope ?? 0) + 1;
					item.setAttribute('data-e2e-scope', String(window.__e2eScope));
				}
				const scopeId = item.getAttribute('data-e2e-scope');
				return {
					label: labelText(label),
					for: label.getAttribute('for'),
					inputs: inputs.length,
					testIds: [
						...new Set(
							[...item.querySelectorAll('[data-test-id]')].map((e) =>
								e.getAttribute('data-test-id'),
							),
						),
					].filter((id) =>
						/^(parameter-input-|fixed-collection-|collection-parameter-add|resource-locator-)/.test(
							id,
						),
					),
					scope: scopeId,
					nested: !!item.parentElement?.closest('.multi-parameter'),
				};
			});
			const issues = [...base.querySelectorAll('[data-test-id="parameter-issues"]')]
				.filter(visible)
				.map((marker, index) => {
					const container = marker.closest('.multi-parameter, .parameter-item');
					const label = container?.querySelector('[data-test-id="input-label"] label');
					marker.setAttribute('data-e2e-issue', String(index));
					return { parameter: label ? labelText(label) : '?', index };
				});
			// Code editors (JSON, expressions) mark a value they cannot parse in their gutter.
			const lints = [...base.querySelectorAll('.cm-editor')]
				.filter(
					(editor) =>
						visible(editor) &&
						editor.querySelector('.cm-lint-marker-error, .cm-lintPoint-error, .cm-lintRange-error'),
				)
				.map((editor, index) => {
					const container = editor.closest('.multi-parameter, .parameter-item');
					const label = container?.querySelector('[data-test-id="input-label"] label');
					editor.setAttribute('data-e2e-lint', String(index));
					return { parameter: label ? labelText(label) : '?', index };
				});
			const notices = [...base.querySelectorAll('.n8n-notice, [role="alert"], .el-alert')]
				.filter(visible)
				.map((n) => n.textContent.trim());
			return {
				parameters,
				issues,
				lints,
				notices,
				text: base.innerText,
				credentials: !!root
					.querySelector('[data-test-id="node-credentials-slot"]')
					?.checkVisibility(),
			};
		}, scope);
	}

	/** The text of the tooltip of issue marker `index` (from the last inspect). */
	async issueText(index) {
		const page = this.page;
		const marker = this.params.locator(`[data-e2e-issue="${index}"]`);
		await page.mouse.move(0, 0);
		await marker.hover();
		const tooltip = page
			.locator('[data-reka-popper-content-wrapper]')
			.filter({ hasText: /Issues/ })
			.filter({ visible: true })
			.first();
		try {
			await tooltip.waitFor({ timeout: 3000 });
			return (await tooltip.innerText())
				.replace(/^Issues:\s*/, '')
				.replace(/\s+/g, ' ')
				.trim();
		} catch {
			return '(no tooltip text)';
		} finally {
			await page.mouse.move(0, 0);
		}
	}

	/** The message of the first lint error in code editor `index` (from the last inspect). */
	async lintText(index) {
		const page = this.page;
		const marker = this.params.locator(`[data-e2e-lint="${index}"] .cm-lint-marker-error`).first();
		const tooltip = page
			.locator('.cm-tooltip-lint, .cm-tooltip-hover')
			.filter({ visible: true })
			.first();
		try {
			await page.mouse.move(0, 0);
			await marker.hover({ timeout: 3000 });
			await tooltip.waitFor({ timeout: 3000 });
			return (await tooltip.innerText()).replace(/\s+/g, ' ').trim();
		} catch {
			return '(no message)';
		} finally {
			await page.mouse.move(0, 0);
		}
	}

	/** The text every dropdown in the panel shows, by parameter path (e.g. `parameters.filters.status`). */
	async dropdownTexts() {
		return await this.params.evaluate((root) =>
			Object.fromEntries(
				[...root.querySelectorAll('[data-parameter-path]')]
					.filter((el) => el.checkVisibility())
					.map((el) => [
						el.getAttribute('data-parameter-path'),
						el.querySelector(':scope input[role="combobox"]'),
					])
					.filter(([, input]) => input && !input.closest('.el-select__tags, .el-select__selection'))
					.map(([path, input]) => [path, input.value]),
			),
		);
	}

	/**
	 * Waits for code editors (JSON fields) to run their linter, which marks invalid values only
	 * after a delay (CodeMirror's default is 750 ms).
	 */
	async settleCodeEditors() {
		if (await this.params.locator('.cm-editor').count()) await this.page.waitForTimeout(1000);
	}

	/** Toast notifications on screen (n8n shows load and save failures as toasts). */
	async toasts() {
		return await this.page
			.locator('.el-notification')
			.filter({ visible: true })
			.evaluateAll((els) =>
				els.map((e) => ({
					error: !!e.querySelector('.el-notification--error'),
					text: e.innerText.trim(),
				})),
			);
	}

	/** Text in the panel that reads like a load or render failure. */
	errorText(inspection) {
		const found = [];
		for (const line of inspection.text.split('\n'))
			if (ERROR_TEXT.test(line)) found.push(line.trim());
		for (const notice of inspection.notices) if (ERROR_TEXT.test(notice)) found.push(notice);
		return [...new Set(found)];
	}

	/**
	 * Problems the panel marks on parameters nobody has touched yet: issue markers whose text is
	 * not about empty user input, and code editors that cannot parse their value.
	 */
	async renderIssues(inspection) {
		const out = [];
		for (const issue of inspection.issues) {
			const text = await this.issueText(issue.index);
			if (!INPUT_ISSUES.test(text)) out.push(`issue marker on "${issue.parameter}": ${text}`);
		}
		for (const lint of inspection.lints) {
			out.push(
				`code editor of "${lint.parameter}" marks its value as an error: ${await this.lintText(lint.index)}`,
			);
		}
		return out;
	}

	/**
	 * Adds every child a collection offers through its "Add …" control, one by one. Answers the
	 * names it offered and, per child, whether it then shows with a rendered input.
	 */
	async expandCollection(scope, children) {
		const item = this.params.locator(`[data-e2e-scope="${scope}"]`);
		const add = item.locator(tid('collection-parameter-add')).first();
		const nested = async () => (await this.inspect(scope)).parameters.filter((p) => p.nested);
		const before = new Set((await nested()).map((p) => p.label));
		const listed = [];
		const combobox = add.locator('input[role="combobox"]');
		if (await combobox.count()) {
			// A dropdown of the fields not added yet.
			let options = await this.openDropdown(combobox);
			listed.push(...(await options.allInnerTexts()).map((t) => t.trim()));
			await this.page.keyboard.press('Escape');
			await options
				.first()
				.waitFor({ state: 'hidden', timeout: 5000 })
				.catch(() => {});
			for (const child of children) {
				if (!listed.includes(child.displayName)) continue;
				if (!(await combobox.isVisible())) break;
				options = await this.openDropdown(combobox);
				await options.getByText(child.displayName, { exact: true }).first().click();
			}
		} else if (await add.isVisible()) {
			// A single field: the control is a button that adds it.
			await add.click();
		}
		let shown = [];
		await waitFor(
			async () => {
				shown = await nested();
				return children.every((c) => shown.some((p) => p.label === c.displayName && p.inputs > 0));
			},
			3000,
			() => false,
		).catch(() => {});
		if (!listed.length) listed.push(...shown.map((p) => p.label).filter((l) => !before.has(l)));
		return {
			listed,
			present: [...before],
			broken: children
				.filter(
					(c) =>
						shown.some((p) => p.label === c.displayName) &&
						!shown.some((p) => p.label === c.displayName && p.inputs > 0),
				)
				.map((c) => c.displayName),
			rendered: shown.filter((p) => p.inputs > 0).map((p) => p.label),
		};
	}

	/**
	 * Adds one entry of each group of a fixed collection and answers the value fields that did
	 * not render an input.
	 */
	async expandFixedCollection(scope, groups) {
		const page = this.page;
		const item = this.params.locator(`[data-e2e-scope="${scope}"]`);
		for (const group of groups) {
			const add = item.locator(tid('fixed-collection-add')).first();
			const combobox = add.locator('input[role="combobox"]');
			if (await combobox.count()) {
				const options = await this.openDropdown(combobox);
				await options.getByText(group.displayName, { exact: true }).first().click();
			} else {
				await add.click();
				// Several groups behind a button: it opens a list of them.
				const choice = page
					.locator('li[role="option"]')
					.filter({ visible: true })
					.getByText(group.displayName, { exact: true });
				if (groups.length > 1) await choice.first().click();
			}
		}
		const wanted = groups.flatMap((g) =>
			g.values.map((v) => ({ group: g.displayName, label: v.displayName })),
		);
		let missing = wanted;
		await waitFor(
			async () => {
				const shown = await this.inspect(scope);
				const ok = new Set(
					shown.parameters.filter((p) => p.nested && p.inputs > 0).map((p) => p.label),
				);
				missing = wanted.filter((w) => !ok.has(w.label));
				return missing.length === 0;
			},
			5000,
			() => false,
		).catch(() => {});
		return { broken: missing.map((m) => `${m.group} → ${m.label}`) };
	}

	/** Removes every field added to collections and fixed collections (their delete buttons). */
	async clearCollections() {
		const remove = this.params
			.locator(
				'.multi-parameter button[title="Delete"], .multi-parameter [data-test-id="fixed-collection-delete"]',
			)
			.filter({ visible: true });
		for (let i = 0; i < 500; i++) {
			const count = await remove.count();
			if (!count) return;
			await remove.last().click({ force: true });
			await waitFor(
				async () => (await remove.count()) < count,
				3000,
				() => new Error('a collection field could not be removed'),
				20,
			);
		}
	}

	/** Screenshot of the page; with `full`, the viewport grows so the whole parameter list fits. */
	async screenshot(file, { full = false } = {}) {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		const page = this.page;
		const viewport = page.viewportSize();
		if (full) {
			const extra = await this.params.evaluate((root) => {
				let el = root;
				while (el && el.scrollHeight <= el.clientHeight + 1) el = el.parentElement;
				return el ? el.scrollHeight - el.clientHeight : 0;
			});
			if (extra > 0) {
				await page.setViewportSize({
					width: viewport.width,
					height: Math.min(viewport.height + extra + 40, 6000),
				});
				await page.waitForTimeout(300);
			}
		}
		await page.mouse.move(0, 0);
		await page.evaluate(() => document.activeElement?.blur?.());
		await page.screenshot({ path: file });
		if (full) await page.setViewportSize(viewport);
	}
}

/** Polls `check` until it answers true; otherwise throws `onTimeout()` after `timeoutMs`. */
export async function waitFor(check, timeoutMs, onTimeout, intervalMs = 50) {
	const end = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return true;
		if (Date.now() > end) throw onTimeout();
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
